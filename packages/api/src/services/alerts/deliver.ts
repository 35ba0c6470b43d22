import { randomUUID } from "node:crypto";
import type { Database, TenantTransaction } from "@aihub/db";
import { appUrl, enqueueEmail } from "../accounts/email.js";
import { mailIn } from "../accounts/mail-catalogue.js";
import type { Resolver } from "./url-guard.js";
import { postWebhook, type WebhookResult, webhookSecret } from "./webhook.js";

/** After a failed attempt n (1-based), the next one waits BACKOFF_MS[n-1]; after the last, the delivery is failed. */
export const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];
export const MAX_ATTEMPTS = BACKOFF_MS.length + 1;
/** A webhook attempt holds its delivery this long (a process that dies mid-send leaves it to be retried then). */
const LEASE_MS = 60_000;

export interface DeliveryOptions {
  now?: Date;
  limit?: number;
  allowPrivate?: boolean;
  resolve?: Resolver;
  timeoutMs?: number;
}

interface Job {
  id: string;
  attempts: number;
  channel_id: string | null;
  channel_kind: "in_app" | "email" | "webhook" | null;
  email: string | null;
  url: string | null;
  secret_salt: string | null;
  locale: string | null;
  alert_id: string;
  alert_kind: "threshold" | "forecast";
  threshold: number;
  period_start: string;
  spend_at_alert: bigint;
  projected_spend: bigint | null;
  alert_created_at: Date;
  budget_id: string;
  scope: string;
  scope_id: string;
  period_limit: bigint;
  org_name: string;
  org_slug: string;
  currency: string;
  stale: boolean;
  /** A forecast's day the limit is reached at the rate when it fired (local day in the org's zone). */
  exceeds_on: string | null;
}

const money = (amount: bigint, currency: string) => {
  const sign = amount < 0n ? "-" : "";
  const v = amount < 0n ? -amount : amount;
  return `${sign}${v / 1_000_000n}.${(v % 1_000_000n).toString().padStart(6, "0").slice(0, 2)} ${currency}`;
};

const budgetLabel = (scope: string) =>
  ({ organization: "The organization's budget", team: "A team budget", member: "A member budget", api_key: "An API key budget" })[scope] ??
  "A budget";

/** The JSON a webhook receives (money as decimal strings of micro-units). */
function alertPayload(job: Job, orgId: string, deliveryId: string) {
  return {
    id: deliveryId,
    type: "budget.alert",
    organization: { id: orgId, slug: job.org_slug, name: job.org_name },
    alert: {
      id: job.alert_id,
      kind: job.alert_kind,
      threshold: job.threshold,
      periodStart: job.period_start,
      spent: job.spend_at_alert.toString(),
      projectedSpend: job.projected_spend?.toString() ?? null,
      exceedsOn: job.exceeds_on,
      createdAt: job.alert_created_at.toISOString(),
    },
    budget: {
      id: job.budget_id,
      scope: job.scope,
      scopeId: job.scope_id,
      periodLimit: job.period_limit.toString(),
      currency: job.currency,
    },
  };
}

async function loadJob(tx: TenantTransaction, orgId: string, deliveryId: string, now: Date): Promise<Job | null> {
  const [row] = await tx.$queryRaw<Job[]>`
    SELECT d.id, d.attempts, d.channel_id, c.kind::text AS channel_kind, c.email, c.url, c.secret_salt, u.locale,
           a.id AS alert_id, a.kind::text AS alert_kind, a.threshold, a.period_start::text AS period_start, a.spend_at_alert,
           a.projected_spend, a.created_at AS alert_created_at, b.id AS budget_id, b.scope::text AS scope, b.scope_id,
           b.period_limit, o.name AS org_name, o.slug AS org_slug, o.currency,
           a.period_start + interval '1 month 1 day' < a.created_at AS stale,
           CASE WHEN a.kind = 'forecast' AND a.spend_at_alert > 0 THEN
             (to_timestamp(extract(epoch FROM (a.period_start::timestamp AT TIME ZONE o.timezone))
                           + extract(epoch FROM a.created_at - (a.period_start::timestamp AT TIME ZONE o.timezone))
                             * b.period_limit / a.spend_at_alert) AT TIME ZONE o.timezone)::date::text
           END AS exceeds_on
      FROM alert_deliveries d
      JOIN budget_alerts a ON a.organization_id = d.organization_id AND a.id = d.alert_id
      JOIN budgets b ON b.organization_id = a.organization_id AND b.id = a.budget_id
      JOIN organizations o ON o.id = d.organization_id
      LEFT JOIN alert_channels c ON c.organization_id = d.organization_id AND c.id = d.channel_id
      LEFT JOIN users u ON u.id = c.created_by
     WHERE d.organization_id = ${orgId}::uuid AND d.id = ${deliveryId}::uuid
       AND d.status = 'pending' AND d.next_attempt_at <= ${now}
     FOR UPDATE OF d SKIP LOCKED`;
  return row ?? null;
}

/** In-app: owners and admins, and for a team budget the leads of the team or of a team above it (each person once). */
async function notify(tx: TenantTransaction, orgId: string, job: Job): Promise<void> {
  const title =
    job.alert_kind === "forecast"
      ? `Budget forecast: ${budgetLabel(job.scope)} is on course to exceed its limit`
      : `Budget alert: ${budgetLabel(job.scope)} reached ${job.threshold}%`;
  const body =
    job.alert_kind === "forecast"
      ? `At the current rate it will exceed ${money(job.period_limit, job.currency)} on ${job.exceeds_on}: ${money(job.projected_spend ?? 0n, job.currency)} projected this month.`
      : `Spent ${money(job.spend_at_alert, job.currency)} of ${money(job.period_limit, job.currency)} this month.`;
  const teamId = job.scope === "team" ? job.scope_id : null;
  await tx.$executeRaw`
    WITH RECURSIVE above AS (
      SELECT t.id, t.parent_team_id FROM teams t WHERE t.organization_id = ${orgId}::uuid AND t.id = ${teamId}::uuid
      UNION
      SELECT t.id, t.parent_team_id FROM teams t JOIN above a ON t.id = a.parent_team_id WHERE t.organization_id = ${orgId}::uuid
    )
    INSERT INTO notifications (organization_id, user_id, kind, title, body, link)
    SELECT ${orgId}::uuid, m.user_id, 'budget.alert', ${title}, ${body}, ${`/orgs/${job.org_slug}/budgets`}
      FROM members m
     WHERE m.organization_id = ${orgId}::uuid
       AND (m.role IN ('owner', 'admin')
            OR EXISTS (SELECT 1 FROM team_memberships tm JOIN above a ON a.id = tm.team_id
                        WHERE tm.organization_id = m.organization_id AND tm.member_id = m.id AND tm.role = 'lead'))`;
}

async function mail(tx: TenantTransaction, job: Job): Promise<void> {
  const message = mailIn(job.locale).budgetAlert({
    orgName: job.org_name,
    budget: `${job.scope}${job.scope === "organization" ? "" : ` ${job.scope_id.slice(0, 8)}`}`,
    kind: job.alert_kind,
    threshold: job.threshold,
    spent: money(job.spend_at_alert, job.currency),
    limit: money(job.period_limit, job.currency),
    projected: job.projected_spend === null ? null : money(job.projected_spend, job.currency),
    exceedsOn: job.exceeds_on,
    url: appUrl(`/orgs/${job.org_slug}/budgets`),
  });
  await enqueueEmail(tx, { to: job.email as string, template: "budget_alert", ...message });
}

async function recordAttempt(db: Database, orgId: string, deliveryId: string, attempts: number, result: WebhookResult, now: Date) {
  const failedForGood = !result.ok && attempts >= MAX_ATTEMPTS;
  const next = result.ok || failedForGood ? now : new Date(now.getTime() + (BACKOFF_MS[attempts - 1] ?? 0));
  const status = result.ok ? "delivered" : failedForGood ? "failed" : "pending";
  await db.withTenant({ orgId }, async (tx) => {
    await tx.$executeRaw`
      UPDATE alert_deliveries
         SET status = ${status}::alert_delivery_status, attempts = ${attempts}, next_attempt_at = ${next},
             response_status = ${result.status}, last_error = ${result.error},
             delivered_at = ${result.ok ? now : null}
       WHERE organization_id = ${orgId}::uuid AND id = ${deliveryId}::uuid`;
    if (result.ok) await markAlertDelivered(tx, orgId, deliveryId, now);
  });
}

async function markAlertDelivered(tx: TenantTransaction, orgId: string, deliveryId: string, now: Date) {
  await tx.$executeRaw`
    UPDATE budget_alerts a SET delivered_at = ${now}
      FROM alert_deliveries d
     WHERE d.organization_id = ${orgId}::uuid AND d.id = ${deliveryId}::uuid
       AND a.organization_id = d.organization_id AND a.id = d.alert_id AND a.delivered_at IS NULL`;
}

/**
 * Delivers one pending delivery if it is due and no one else holds it. In-app and email are
 * written in one transaction (a notification, an outbox row) and cannot fail on the network;
 * a webhook is leased, sent outside any transaction, then recorded: 2xx delivered, otherwise
 * retried after 1 min, 5 min, 30 min, 2 h, 6 h, then failed. Every attempt updates the row
 * (attempts, response status, last error). Returns what happened, or null if it was not ours.
 */
export async function deliverOne(
  db: Database,
  orgId: string,
  deliveryId: string,
  options: DeliveryOptions = {},
): Promise<"delivered" | "retry" | "failed" | null> {
  const now = options.now ?? new Date();
  const claimed = await db.withTenant({ orgId }, async (tx) => {
    const job = await loadJob(tx, orgId, deliveryId, now);
    if (!job) return null;
    if (job.stale) {
      // Written after its period had ended (history: the demo seed, an import): not news to anyone.
      await tx.$executeRaw`
        UPDATE alert_deliveries SET status = 'failed', last_error = 'not sent: the alert was recorded after its period ended'
         WHERE organization_id = ${orgId}::uuid AND id = ${deliveryId}::uuid`;
      return { job, done: "stale" as const };
    }
    if (job.channel_kind === null || job.channel_kind === "in_app" || job.channel_kind === "email") {
      if (job.channel_kind === "email") await mail(tx, job);
      else await notify(tx, orgId, job);
      await tx.$executeRaw`
        UPDATE alert_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = ${now}, last_error = NULL
         WHERE organization_id = ${orgId}::uuid AND id = ${deliveryId}::uuid`;
      await markAlertDelivered(tx, orgId, deliveryId, now);
      return { job, done: true as const };
    }
    await tx.$executeRaw`
      UPDATE alert_deliveries SET next_attempt_at = ${new Date(now.getTime() + LEASE_MS)}
       WHERE organization_id = ${orgId}::uuid AND id = ${deliveryId}::uuid`;
    return { job, done: false as const };
  });
  if (!claimed) return null;
  if (claimed.done === "stale") return "failed";
  if (claimed.done) return "delivered";
  const { job } = claimed;
  const body = JSON.stringify(alertPayload(job, orgId, deliveryId));
  const result = await postWebhook(
    { url: job.url as string, secret: webhookSecret(job.channel_id as string, job.secret_salt as string), body, now },
    options,
  );
  const attempts = job.attempts + 1;
  await recordAttempt(db, orgId, deliveryId, attempts, result, now);
  return result.ok ? "delivered" : attempts >= MAX_ATTEMPTS ? "failed" : "retry";
}

/** Every due delivery of every organization (found through alert_deliveries_due), one at a time. */
export async function deliverDueAlerts(db: Database, options: DeliveryOptions = {}) {
  const now = options.now ?? new Date();
  const due = await db.prisma.$queryRaw<{ organization_id: string; id: string }[]>`
    SELECT organization_id, id FROM alert_deliveries_due(${now}, ${options.limit ?? 200}::int)`;
  const counts = { delivered: 0, retry: 0, failed: 0 };
  for (const d of due) {
    const outcome = await deliverOne(db, d.organization_id, d.id, { ...options, now });
    if (outcome) counts[outcome] += 1;
  }
  return counts;
}

/** A test message to one webhook channel now (not recorded as a delivery). */
export async function sendTestWebhook(
  channel: { id: string; url: string; secretSalt: string },
  org: { id: string; slug: string; name: string; currency: string },
  options: DeliveryOptions = {},
): Promise<WebhookResult> {
  const now = options.now ?? new Date();
  const id = randomUUID();
  const body = JSON.stringify({
    id,
    type: "budget.alert.test",
    organization: { id: org.id, slug: org.slug, name: org.name },
    alert: null,
    budget: null,
    sentAt: now.toISOString(),
  });
  return postWebhook({ url: channel.url, secret: webhookSecret(channel.id, channel.secretSalt), body, now }, options);
}
