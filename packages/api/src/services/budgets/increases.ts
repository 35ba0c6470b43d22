import { Prisma, type TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import { audit } from "../audit/audit.js";
import type { OrgServiceContext } from "../service-context.js";

/**
 * Budget increase requests: a member asks for a temporary increase of one budget's limit, an
 * admin (budget:write) approves or denies it, and an approved increase counts on top of the
 * limit until its end, then lapses by itself — the charging statement adds the active approved
 * increases of each budget as it reads the limit, so no job is needed. A pending request
 * lapses after PENDING_DAYS. Everything is audited; the deciders and the requester are notified.
 */

export const PENDING_DAYS = 7;
/** The longest an increase may last. */
export const MAX_INCREASE_DAYS = 92;
const DAY_MS = 86_400_000;

/** The sum of a budget's approved increases still running now; `alias` names a `budgets` row. */
export function activeIncreaseSql(alias: string): Prisma.Sql {
  const b = Prisma.raw(alias);
  return Prisma.sql`coalesce((SELECT sum(r.amount) FROM budget_increase_requests r
     WHERE r.organization_id = ${b}.organization_id AND r.budget_id = ${b}.id
       AND r.status = 'approved' AND r.increase_until > now()), 0)::bigint`;
}

export type IncreaseStatus = "pending" | "approved" | "denied" | "cancelled" | "expired";

interface IncreaseRow {
  id: string;
  budget_id: string;
  scope: string;
  scope_id: string;
  requested_by: string | null;
  requester_name: string | null;
  amount: bigint;
  increase_until: Date;
  reason: string;
  status: "pending" | "approved" | "denied" | "cancelled";
  expires_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  created_at: Date;
}

export interface IncreaseView {
  id: string;
  budgetId: string;
  scope: string;
  scopeId: string;
  requestedBy: { userId: string; name: string } | null;
  amount: bigint;
  increaseUntil: Date;
  reason: string;
  /** "expired": still pending when its time ran out. */
  status: IncreaseStatus;
  /** Whether it raises the limit right now (approved and not yet ended). */
  active: boolean;
  expiresAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  createdAt: Date;
}

function view(row: IncreaseRow, now: Date): IncreaseView {
  const status: IncreaseStatus = row.status === "pending" && row.expires_at <= now ? "expired" : row.status;
  return {
    id: row.id,
    budgetId: row.budget_id,
    scope: row.scope,
    scopeId: row.scope_id,
    requestedBy: row.requested_by ? { userId: row.requested_by, name: row.requester_name ?? "" } : null,
    amount: row.amount,
    increaseUntil: row.increase_until,
    reason: row.reason,
    status,
    active: row.status === "approved" && row.increase_until > now,
    expiresAt: row.expires_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    createdAt: row.created_at,
  };
}

async function requestsWhere(tx: TenantTransaction, orgId: string, where: Prisma.Sql, lock = false): Promise<IncreaseRow[]> {
  return tx.$queryRaw<IncreaseRow[]>`
    SELECT r.id, r.budget_id, b.scope::text AS scope, b.scope_id, r.requested_by, coalesce(nullif(u.name, ''), u.email) AS requester_name,
           r.amount, r.increase_until, r.reason, r.status::text AS status, r.expires_at, r.decided_by, r.decided_at, r.decision_note, r.created_at
      FROM budget_increase_requests r
      JOIN budgets b ON b.organization_id = r.organization_id AND b.id = r.budget_id
      LEFT JOIN users u ON u.id = r.requested_by
     WHERE r.organization_id = ${orgId}::uuid AND ${where}
     ORDER BY r.created_at DESC, r.id
     LIMIT 500
     ${lock ? Prisma.sql`FOR UPDATE OF r` : Prisma.empty}`;
}

/** Everyone in the organization who may decide: owners and admins. */
async function notifyDeciders(tx: TenantTransaction, orgId: string, except: string | null, title: string, body: string) {
  await tx.$executeRaw`
    INSERT INTO notifications (organization_id, user_id, kind, title, body, link)
    SELECT ${orgId}::uuid, m.user_id, 'budget.increase_requested', ${title}, ${body}, NULL
      FROM members m
     WHERE m.organization_id = ${orgId}::uuid AND m.role IN ('owner', 'admin')
       AND (${except}::uuid IS NULL OR m.user_id <> ${except}::uuid)`;
}

async function notifyUser(tx: TenantTransaction, orgId: string, userId: string, kind: string, title: string, body: string) {
  // Only while they are still a member (the notifications policy requires it).
  await tx.$executeRaw`
    INSERT INTO notifications (organization_id, user_id, kind, title, body, link)
    SELECT ${orgId}::uuid, m.user_id, ${kind}, ${title}, ${body}, NULL
      FROM members m WHERE m.organization_id = ${orgId}::uuid AND m.user_id = ${userId}::uuid`;
}

const money = (amount: bigint, currency: string) => {
  const units = amount / 1_000_000n;
  const micros = (amount % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return `${units}${micros ? `.${micros.padEnd(2, "0")}` : ".00"} ${currency}`;
};

export async function requestIncrease(
  ctx: OrgServiceContext,
  input: { budgetId: string; amount: bigint; increaseUntil: Date; reason: string },
  now: Date = new Date(),
): Promise<IncreaseView> {
  if (!ctx.userId) throw new DomainError("FORBIDDEN", "Only a person may ask for an increase");
  const userId = ctx.userId;
  if (input.amount <= 0n)
    throw new DomainError("BAD_REQUEST", "The increase must be more than zero", { field: "amount", reason: "NOT_POSITIVE" });
  if (input.increaseUntil <= now)
    throw new DomainError("BAD_REQUEST", "The increase must end in the future", { field: "increaseUntil", reason: "EXPIRY_IN_PAST" });
  if (input.increaseUntil.getTime() - now.getTime() > MAX_INCREASE_DAYS * DAY_MS)
    throw new DomainError("BAD_REQUEST", `An increase lasts at most ${MAX_INCREASE_DAYS} days`, {
      field: "increaseUntil",
      reason: "OUT_OF_RANGE",
    });
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const [budget] = await tx.$queryRaw<{ id: string; currency: string }[]>`
      SELECT b.id, o.currency FROM budgets b JOIN organizations o ON o.id = b.organization_id
       WHERE b.organization_id = ${ctx.orgId}::uuid AND b.id = ${input.budgetId}::uuid`;
    if (!budget) throw notFound("Budget");
    const [saved] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO budget_increase_requests (organization_id, budget_id, requested_by, amount, increase_until, reason, expires_at, created_at)
      VALUES (${ctx.orgId}::uuid, ${budget.id}::uuid, ${userId}::uuid, ${input.amount}, ${input.increaseUntil}, ${input.reason},
              ${new Date(now.getTime() + PENDING_DAYS * DAY_MS)}, ${now})
      RETURNING id`;
    const id = (saved as { id: string }).id;
    await audit(tx, ctx, {
      action: "budget.increase_requested",
      targetId: id,
      after: { budgetId: budget.id, amount: input.amount, increaseUntil: input.increaseUntil, reason: input.reason, status: "pending" },
    });
    await notifyDeciders(
      tx,
      ctx.orgId,
      userId,
      "Budget increase requested",
      `An increase of ${money(input.amount, budget.currency)} until ${input.increaseUntil.toISOString().slice(0, 10)} was requested.`,
    );
    const [row] = await requestsWhere(tx, ctx.orgId, Prisma.sql`r.id = ${id}::uuid`);
    return view(row as IncreaseRow, now);
  });
}

/** Deciders (budget:write) see every request; others only their own. */
export async function listIncreaseRequests(
  ctx: OrgServiceContext,
  input: { status?: IncreaseStatus | null; mineOnly: boolean },
  now: Date = new Date(),
): Promise<IncreaseView[]> {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const mine = input.mineOnly ? Prisma.sql`r.requested_by = ${ctx.userId}::uuid` : Prisma.sql`true`;
    const rows = await requestsWhere(tx, ctx.orgId, mine);
    const views = rows.map((r) => view(r, now));
    return input.status ? views.filter((v) => v.status === input.status) : views;
  });
}

async function lockPending(tx: TenantTransaction, orgId: string, requestId: string, now: Date): Promise<IncreaseRow> {
  const [row] = await requestsWhere(tx, orgId, Prisma.sql`r.id = ${requestId}::uuid`, true);
  if (!row) throw notFound("Increase request");
  if (row.status !== "pending" || row.expires_at <= now)
    throw new DomainError("CONFLICT", `This request is ${view(row, now).status}, no longer pending`, { reason: "INCREASE_NOT_PENDING" });
  return row;
}

export async function decideIncrease(
  ctx: OrgServiceContext,
  input: { requestId: string; approve: boolean; note?: string | null },
  now: Date = new Date(),
): Promise<IncreaseView> {
  if (!ctx.userId) throw new DomainError("FORBIDDEN", "Only a person may decide an increase");
  const userId = ctx.userId;
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const row = await lockPending(tx, ctx.orgId, input.requestId, now);
    // Four eyes: whoever may raise a limit can set it directly; approving one's own request would only hide that.
    if (row.requested_by === userId) throw new DomainError("FORBIDDEN", "Someone else must decide your own request", { reason: "SELF" });
    const status = input.approve ? "approved" : "denied";
    await tx.$executeRaw`
      UPDATE budget_increase_requests
         SET status = ${status}::budget_increase_status, decided_by = ${userId}::uuid, decided_at = ${now}, decision_note = ${input.note ?? null}
       WHERE organization_id = ${ctx.orgId}::uuid AND id = ${row.id}::uuid`;
    await audit(tx, ctx, {
      action: input.approve ? "budget.increase_approved" : "budget.increase_denied",
      targetId: row.id,
      before: { budgetId: row.budget_id, amount: row.amount, status: "pending" },
      after: {
        budgetId: row.budget_id,
        amount: row.amount,
        increaseUntil: row.increase_until,
        status,
        decidedById: userId,
        decisionNote: input.note ?? null,
      },
    });
    if (row.requested_by)
      await notifyUser(
        tx,
        ctx.orgId,
        row.requested_by,
        `budget.increase_${status}`,
        input.approve ? "Budget increase approved" : "Budget increase denied",
        input.note ? `Note: ${input.note}` : input.approve ? "Your increase is in effect." : "Your request was denied.",
      );
    const [after] = await requestsWhere(tx, ctx.orgId, Prisma.sql`r.id = ${row.id}::uuid`);
    return view(after as IncreaseRow, now);
  });
}

/** The requester withdraws a pending request. */
export async function cancelIncreaseRequest(
  ctx: OrgServiceContext,
  input: { requestId: string },
  now: Date = new Date(),
): Promise<IncreaseView> {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const row = await lockPending(tx, ctx.orgId, input.requestId, now);
    // Someone else's request is not found (a member sees only their own).
    if (!ctx.userId || row.requested_by !== ctx.userId) throw notFound("Increase request");
    await tx.$executeRaw`
      UPDATE budget_increase_requests SET status = 'cancelled', decided_by = ${ctx.userId}::uuid, decided_at = ${now}
       WHERE organization_id = ${ctx.orgId}::uuid AND id = ${row.id}::uuid`;
    await audit(tx, ctx, {
      action: "budget.increase_cancelled",
      targetId: row.id,
      before: { budgetId: row.budget_id, amount: row.amount, status: "pending" },
      after: { budgetId: row.budget_id, amount: row.amount, status: "cancelled" },
    });
    const [after] = await requestsWhere(tx, ctx.orgId, Prisma.sql`r.id = ${row.id}::uuid`);
    return view(after as IncreaseRow, now);
  });
}
