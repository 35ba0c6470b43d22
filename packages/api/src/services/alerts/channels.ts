import { randomUUID } from "node:crypto";
import type { TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import { enqueueEmail } from "../accounts/email.js";
import { mailIn } from "../accounts/mail-catalogue.js";
import { audit } from "../audit/audit.js";
import type { OrgServiceContext } from "../service-context.js";
import { sendTestWebhook } from "./deliver.js";
import { UnsafeWebhookUrlError, vetWebhookUrl } from "./url-guard.js";
import { newSecretSalt, webhookSecret } from "./webhook.js";

/**
 * Alert channels (docs/budgets.md, "Alerts and deliveries"): where an organization's budget
 * alerts go. Admins and owners change them (audited; people only); everyone who sees budgets
 * lists them. A webhook's signing secret is derived, never stored, and returned only when the
 * channel is created or its secret rotated.
 */
type Kind = "in_app" | "email" | "webhook";
interface ChannelRow {
  id: string;
  kind: Kind;
  name: string;
  email: string | null;
  url: string | null;
  secret_salt: string | null;
  enabled: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}
const COLUMNS = "id, kind::text AS kind, name, email, url, secret_salt, enabled, created_by, created_at, updated_at";

const view = (r: ChannelRow, secret?: string) => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  email: r.email,
  url: r.url,
  enabled: r.enabled,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  ...(secret ? { secret } : {}),
});
/** The trail keeps a webhook's host, not its URL: paths of some webhook services are secrets. */
const audited = (r: ChannelRow) => ({
  kind: r.kind,
  name: r.name,
  email: r.email,
  urlHost: r.url ? new URL(r.url).host : null,
  enabled: r.enabled,
});

async function assertSafeUrl(url: string): Promise<void> {
  try {
    await vetWebhookUrl(url);
  } catch (error) {
    if (!(error instanceof UnsafeWebhookUrlError)) throw error;
    if (error.message.includes("resolve"))
      throw new DomainError("BAD_REQUEST", "The webhook's host name cannot be resolved", { field: "url", reason: "HOST_NOT_FOUND" });
    throw new DomainError("BAD_REQUEST", `The webhook URL is refused: ${error.message}`, { field: "url", reason: "PRIVATE_ADDRESS" });
  }
}

async function load(tx: TenantTransaction, orgId: string, id: string, lock = false): Promise<ChannelRow> {
  const rows = await tx.$queryRawUnsafe<ChannelRow[]>(
    `SELECT ${COLUMNS} FROM alert_channels WHERE organization_id = $1::uuid AND id = $2::uuid${lock ? " FOR UPDATE" : ""}`,
    orgId,
    id,
  );
  const row = rows[0];
  if (!row) throw notFound("Alert channel");
  return row;
}

export async function listChannels(ctx: OrgServiceContext) {
  const rows = await ctx.db.withTenant({ orgId: ctx.orgId }, (tx) =>
    tx.$queryRawUnsafe<ChannelRow[]>(
      `SELECT ${COLUMNS} FROM alert_channels WHERE organization_id = $1::uuid ORDER BY created_at, id`,
      ctx.orgId,
    ),
  );
  return { items: rows.map((r) => view(r)) };
}

export async function createChannel(
  ctx: OrgServiceContext,
  input: { kind: Kind; name: string; email?: string; url?: string; enabled: boolean },
) {
  if (input.kind === "webhook" && input.url) await assertSafeUrl(input.url);
  const id = randomUUID();
  const salt = input.kind === "webhook" ? newSecretSalt() : null;
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const rows = await tx.$queryRawUnsafe<ChannelRow[]>(
      `INSERT INTO alert_channels (id, organization_id, kind, name, email, url, secret_salt, enabled, created_by)
       VALUES ($1::uuid, $2::uuid, $3::alert_channel_kind, $4, $5, $6, $7, $8, $9::uuid) RETURNING ${COLUMNS}`,
      id,
      ctx.orgId,
      input.kind,
      input.name,
      input.kind === "email" ? (input.email ?? null) : null,
      input.kind === "webhook" ? (input.url ?? null) : null,
      salt,
      input.enabled,
      ctx.userId,
    );
    const saved = rows[0] as ChannelRow;
    await audit(tx, ctx, { action: "alert_channel.created", targetId: id, before: null, after: audited(saved) });
    return view(saved, salt ? webhookSecret(id, salt) : undefined);
  });
}

export async function updateChannel(
  ctx: OrgServiceContext,
  input: { channelId: string; name?: string; email?: string; url?: string; enabled?: boolean; rotateSecret?: boolean },
) {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const old = await load(tx, ctx.orgId, input.channelId, true);
    if (input.email !== undefined && old.kind !== "email")
      throw new DomainError("BAD_REQUEST", "Only an email channel has an address", { field: "email", reason: "CHANNEL_KIND_MISMATCH" });
    if ((input.url !== undefined || input.rotateSecret) && old.kind !== "webhook")
      throw new DomainError("BAD_REQUEST", "Only a webhook channel has a URL and a secret", {
        field: "url",
        reason: "CHANNEL_KIND_MISMATCH",
      });
    if (input.url !== undefined) await assertSafeUrl(input.url);
    const salt = input.rotateSecret ? newSecretSalt() : old.secret_salt;
    const rows = await tx.$queryRawUnsafe<ChannelRow[]>(
      `UPDATE alert_channels SET name = $3, email = $4, url = $5, secret_salt = $6, enabled = $7, updated_at = now()
        WHERE organization_id = $1::uuid AND id = $2::uuid RETURNING ${COLUMNS}`,
      ctx.orgId,
      old.id,
      input.name ?? old.name,
      input.email ?? old.email,
      input.url ?? old.url,
      salt,
      input.enabled ?? old.enabled,
    );
    const saved = rows[0] as ChannelRow;
    const after = { ...audited(saved), ...(input.rotateSecret ? { secretRotated: true } : {}) };
    await audit(tx, ctx, { action: "alert_channel.updated", targetId: old.id, before: audited(old), after });
    return view(saved, input.rotateSecret && salt ? webhookSecret(old.id, salt) : undefined);
  });
}

export async function deleteChannel(ctx: OrgServiceContext, input: { channelId: string }) {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const old = await load(tx, ctx.orgId, input.channelId, true);
    // Its deliveries go with it (history of a removed channel has nowhere to point).
    await tx.$executeRaw`DELETE FROM alert_channels WHERE organization_id = ${ctx.orgId}::uuid AND id = ${old.id}::uuid`;
    await audit(tx, ctx, { action: "alert_channel.deleted", targetId: old.id, before: audited(old), after: null });
    return { id: old.id, deleted: true as const };
  });
}

/**
 * Sends a test now: a signed test webhook (the answer's status), a test email through the outbox,
 * or a notification to the caller. Changes no channel; not audited.
 */
export async function testChannel(ctx: OrgServiceContext, input: { channelId: string }) {
  const { channel, org } = await ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const channel = await load(tx, ctx.orgId, input.channelId);
    const [org] = await tx.$queryRaw<{ id: string; slug: string; name: string; currency: string; locale: string | null }[]>`
      SELECT o.id, o.slug, o.name, o.currency, u.locale FROM organizations o LEFT JOIN users u ON u.id = ${ctx.userId}::uuid
       WHERE o.id = ${ctx.orgId}::uuid`;
    if (!org) throw notFound("Organization");
    if (channel.kind === "email") {
      const base = mailIn(org.locale).budgetAlert({
        orgName: org.name,
        budget: "test",
        kind: "threshold",
        threshold: 0,
        spent: `0.00 ${org.currency}`,
        limit: `0.00 ${org.currency}`,
        projected: null,
        url: "",
      });
      await enqueueEmail(tx, { to: channel.email as string, template: "budget_alert", subject: `[test] ${base.subject}`, text: base.text });
    } else if (channel.kind === "in_app" && ctx.userId) {
      await tx.$executeRaw`
        INSERT INTO notifications (organization_id, user_id, kind, title, body, link)
        VALUES (${ctx.orgId}::uuid, ${ctx.userId}::uuid, 'budget.alert', 'Test alert', ${`A test of the alert channel "${channel.name}".`}, NULL)`;
    }
    return { channel, org };
  });
  if (channel.kind === "email") return { ok: true, status: null, message: "A test email is queued in the outbox." };
  if (channel.kind === "in_app") return { ok: true, status: null, message: "A test notification was sent to you." };
  const result = await sendTestWebhook({ id: channel.id, url: channel.url as string, secretSalt: channel.secret_salt as string }, org);
  return { ok: result.ok, status: result.status, message: result.ok ? `Delivered (HTTP ${result.status}).` : (result.error ?? "Failed") };
}

interface AlertRow {
  id: string;
  budget_id: string;
  scope: "organization" | "team" | "member" | "api_key";
  scope_id: string;
  kind: "threshold" | "forecast";
  threshold: number;
  period_start: string;
  spend_at_alert: bigint;
  projected_spend: bigint | null;
  created_at: Date;
  delivered_at: Date | null;
  deliveries: {
    id: string;
    channel_id: string | null;
    channel_kind: Kind | null;
    status: "pending" | "delivered" | "failed";
    attempts: number;
    next_attempt_at: string;
    last_error: string | null;
    response_status: number | null;
    delivered_at: string | null;
  }[];
}

/** The organization's alerts, newest first, each with its deliveries (status, attempts, last error). */
export async function listAlerts(ctx: OrgServiceContext, input: { budgetId?: string; periodStart?: string; limit: number }) {
  const rows = await ctx.db.withTenant(
    { orgId: ctx.orgId },
    (tx) => tx.$queryRaw<AlertRow[]>`
    SELECT a.id, a.budget_id, b.scope::text AS scope, b.scope_id, a.kind::text AS kind, a.threshold, a.period_start::text AS period_start,
           a.spend_at_alert, a.projected_spend, a.created_at, a.delivered_at,
           coalesce((SELECT json_agg(json_build_object(
                       'id', d.id, 'channel_id', d.channel_id, 'channel_kind', c.kind, 'status', d.status, 'attempts', d.attempts,
                       'next_attempt_at', d.next_attempt_at, 'last_error', d.last_error, 'response_status', d.response_status,
                       'delivered_at', d.delivered_at) ORDER BY d.created_at, d.id)
                       FROM alert_deliveries d LEFT JOIN alert_channels c ON c.organization_id = d.organization_id AND c.id = d.channel_id
                      WHERE d.organization_id = a.organization_id AND d.alert_id = a.id), '[]'::json) AS deliveries
      FROM budget_alerts a JOIN budgets b ON b.organization_id = a.organization_id AND b.id = a.budget_id
     WHERE a.organization_id = ${ctx.orgId}::uuid
       AND (${input.budgetId ?? null}::uuid IS NULL OR a.budget_id = ${input.budgetId ?? null}::uuid)
       AND (${input.periodStart ?? null}::date IS NULL OR a.period_start = ${input.periodStart ?? null}::date)
     ORDER BY a.created_at DESC, a.id
     LIMIT ${input.limit}`,
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      budgetId: r.budget_id,
      scope: r.scope,
      scopeId: r.scope_id,
      kind: r.kind,
      threshold: r.threshold,
      periodStart: r.period_start,
      spent: r.spend_at_alert.toString(),
      projectedSpend: r.projected_spend?.toString() ?? null,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
      deliveries: r.deliveries.map((d) => ({
        id: d.id,
        channelId: d.channel_id,
        channelKind: d.channel_kind ?? ("in_app" as const),
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: new Date(d.next_attempt_at),
        lastError: d.last_error,
        responseStatus: d.response_status,
        deliveredAt: d.delivered_at ? new Date(d.delivered_at) : null,
      })),
    })),
  };
}
