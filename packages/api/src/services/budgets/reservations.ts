import { randomUUID } from "node:crypto";
import type { Database, TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import { type ChargeInput, priceCharge } from "../usage/pricing.js";
import { nowOf, SPEND_TX, type SpendContext } from "./context.js";
import { applyToCounters, ensureCounters, recordCrossedThresholds } from "./counters.js";
import { activeIncreaseSql } from "./increases.js";
import { budgetExceeded, remaining, resolvePath, type UsageSubject } from "./path.js";
import { budgetPeriod } from "./period.js";

/**
 * Reserve, then settle. `reserve` holds an amount on every budget of the path at once (all or
 * none, one conditional statement); `settle` charges the actual cost against the hold and
 * releases the rest; `release` and the expiry job give a hold back. A reservation belongs to
 * the period it was made in: its settlement counts there even after midnight of the 1st.
 */

export const DEFAULT_RESERVATION_TTL_SECONDS = 300;

export interface ReserveInput {
  subject: UsageSubject;
  /** The estimate to hold: a cost, or a model and its expected tokens. */
  charge: ChargeInput;
  ttlSeconds?: number;
}

export interface Reservation {
  reservationId: string;
  amount: bigint;
  periodStart: string;
  expiresAt: Date;
  teamId: string | null;
}

export async function reserve(ctx: SpendContext, input: ReserveInput): Promise<Reservation> {
  const now = nowOf(ctx);
  const ttl = input.ttlSeconds ?? DEFAULT_RESERVATION_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400) {
    throw new DomainError("BAD_REQUEST", "A reservation lasts 1 second to 1 day", { field: "ttlSeconds", reason: "OUT_OF_RANGE" });
  }
  return ctx.db.withTenant(
    { orgId: ctx.orgId },
    async (tx) => {
      const path = await resolvePath(tx, ctx.orgId, input.subject);
      const { cost: amount, model } = await priceCharge(tx, ctx.orgId, path.currency, input.charge, now);
      if (amount <= 0n)
        throw new DomainError("BAD_REQUEST", "A reservation holds a positive amount", { field: "cost", reason: "NOT_POSITIVE" });
      const period = budgetPeriod(now, path.calendar);
      await ensureCounters(tx, ctx.orgId, path.budgetIds, period);
      const result = await applyToCounters(tx, ctx.orgId, path.budgetIds, period, amount, 0n);
      if (!result.applied) throw budgetExceeded(result.rows, amount);
      const id = randomUUID();
      const expiresAt = new Date(now.getTime() + ttl * 1000);
      await tx.$executeRaw`
        INSERT INTO budget_reservations (id, organization_id, budget_ids, period_start, amount, team_id, member_id, api_key_id, model, expires_at, created_at)
        VALUES (${id}::uuid, ${ctx.orgId}::uuid, ${path.budgetIds}::uuid[], ${period}::date, ${amount}, ${path.teamId}::uuid,
                ${path.memberId}::uuid, ${path.apiKeyId}::uuid, ${model}, ${expiresAt}, ${now})`;
      return { reservationId: id, amount, periodStart: period, expiresAt, teamId: path.teamId };
    },
    SPEND_TX,
  );
}

interface ReservationRow {
  id: string;
  budget_ids: string[];
  period_start: Date;
  amount: bigint;
  team_id: string | null;
  member_id: string | null;
  api_key_id: string | null;
  model: string | null;
  state: "active" | "settled" | "released" | "expired";
  expires_at: Date;
  actual_cost: bigint | null;
  usage_record_id: string | null;
}

/** Locks the reservation: settle, release and expiry of one reservation run one at a time. */
async function lockReservation(tx: TenantTransaction, orgId: string, id: string): Promise<ReservationRow> {
  const [row] = await tx.$queryRaw<ReservationRow[]>`
    SELECT id, budget_ids, period_start, amount, team_id, member_id, api_key_id, model, state::text AS state, expires_at,
           actual_cost, usage_record_id
      FROM budget_reservations WHERE organization_id = ${orgId}::uuid AND id = ${id}::uuid FOR UPDATE`;
  if (!row) throw notFound("Reservation");
  return row;
}

const dateKey = (d: Date) => d.toISOString().slice(0, 10);

export interface SettleInput {
  reservationId: string;
  /** The actual cost, or the model and the tokens actually used. */
  charge: ChargeInput;
  metadata?: Record<string, unknown>;
}

export interface Settlement {
  usageRecordId: string;
  cost: bigint;
  released: bigint;
  /** True when the reservation was already settled: this answer is the first one, nothing charged again. */
  replayed: boolean;
}

/**
 * Charges the actual cost and releases the rest of the hold. Settling twice charges once (the
 * second answer repeats the first). A cost above the hold must fit the budgets like a new
 * charge; if it does not, the settlement is refused and the hold stays until it expires.
 */
export async function settle(ctx: SpendContext, input: SettleInput): Promise<Settlement> {
  const now = nowOf(ctx);
  return ctx.db.withTenant(
    { orgId: ctx.orgId },
    async (tx) => {
      const r = await lockReservation(tx, ctx.orgId, input.reservationId);
      if (r.state === "settled") {
        return { usageRecordId: r.usage_record_id as string, cost: r.actual_cost ?? 0n, released: 0n, replayed: true };
      }
      if (r.state !== "active") {
        throw new DomainError("PRECONDITION_FAILED", `This reservation is ${r.state}`, { reason: "RESERVATION_NOT_ACTIVE" });
      }
      const [org] = await tx.$queryRaw<{ currency: string }[]>`SELECT currency FROM organizations WHERE id = ${ctx.orgId}::uuid`;
      const currency = org?.currency ?? "USD";
      const priced = await priceCharge(tx, ctx.orgId, currency, { model: r.model, ...stripNull(input.charge) }, now);
      const period = dateKey(r.period_start);
      const result = await applyToCounters(tx, ctx.orgId, r.budget_ids, period, -r.amount, priced.cost);
      if (!result.applied) throw budgetExceeded(result.rows, priced.cost - r.amount);
      if (priced.cost > 0n) await recordCrossedThresholds(tx, ctx.orgId, r.budget_ids, period);
      const usageRecordId = randomUUID();
      await tx.$executeRaw`
        INSERT INTO usage_records (id, organization_id, occurred_at, period_start, team_id, member_id, api_key_id, reservation_id,
                                   model, input_tokens, output_tokens, cost, currency, metadata)
        VALUES (${usageRecordId}::uuid, ${ctx.orgId}::uuid, ${now}, ${period}::date, ${r.team_id}::uuid, ${r.member_id}::uuid,
                ${r.api_key_id}::uuid, ${r.id}::uuid, ${priced.model}, ${priced.inputTokens}, ${priced.outputTokens}, ${priced.cost},
                ${currency}, ${JSON.stringify(input.metadata ?? {})}::jsonb)`;
      await tx.$executeRaw`
        UPDATE budget_reservations SET state = 'settled', actual_cost = ${priced.cost}, usage_record_id = ${usageRecordId}::uuid, closed_at = ${now}
         WHERE organization_id = ${ctx.orgId}::uuid AND id = ${r.id}::uuid`;
      const released = r.amount > priced.cost ? r.amount - priced.cost : 0n;
      return { usageRecordId, cost: priced.cost, released, replayed: false };
    },
    SPEND_TX,
  );
}

/** Keeps the reservation's model unless the settlement names one. */
function stripNull(charge: ChargeInput): ChargeInput {
  return Object.fromEntries(Object.entries(charge).filter(([, v]) => v != null)) as ChargeInput;
}

/** Gives a hold back without charging (the call was not made). Releasing twice is a no-op. */
export async function release(ctx: SpendContext, reservationId: string): Promise<{ released: bigint }> {
  const now = nowOf(ctx);
  return ctx.db.withTenant(
    { orgId: ctx.orgId },
    async (tx) => {
      const r = await lockReservation(tx, ctx.orgId, reservationId);
      if (r.state !== "active") return { released: 0n };
      await closeHold(tx, ctx.orgId, r, "released", now);
      return { released: r.amount };
    },
    SPEND_TX,
  );
}

async function closeHold(tx: TenantTransaction, orgId: string, r: ReservationRow, state: "released" | "expired", now: Date) {
  await applyToCounters(tx, orgId, r.budget_ids, dateKey(r.period_start), -r.amount, 0n);
  await tx.$executeRaw`
    UPDATE budget_reservations SET state = ${state}::reservation_state, closed_at = ${now}
     WHERE organization_id = ${orgId}::uuid AND id = ${r.id}::uuid`;
}

/**
 * For the jobs: gives back the holds of reservations past their expiry, in every organization
 * (found through a function that sees them all; each released in its own tenant). Safe to run
 * in several processes at once: each reservation is locked and re-checked before release.
 * Returns how many it released.
 */
export async function releaseExpiredReservations(db: Database, now: Date = new Date(), limit = 1000): Promise<number> {
  const expired = await db.prisma.$queryRaw<{ organization_id: string; id: string }[]>`
    SELECT organization_id, id FROM budget_reservations_expired(${now}, ${limit}::int)`;
  let count = 0;
  for (const { organization_id: orgId, id } of expired) {
    const done = await db.withTenant(
      { orgId },
      async (tx) => {
        const r = await lockReservation(tx, orgId, id);
        if (r.state !== "active" || r.expires_at > now) return false;
        await closeHold(tx, orgId, r, "expired", now);
        return true;
      },
      SPEND_TX,
    );
    if (done) count += 1;
  }
  return count;
}

export interface BudgetCheck {
  allowed: boolean;
  periodStart: string;
  /** The budget with the least left on the path (the strictest limit), or null when none applies. */
  tightest: {
    budgetId: string;
    scope: string;
    scopeId: string;
    limit: bigint;
    spent: bigint;
    reserved: bigint;
    remaining: bigint;
    hardLimit: boolean;
  } | null;
}

/** Whether `estimatedCost` would fit every hard budget on the path now, and which budget is tightest. Charges nothing. */
export async function checkBudget(ctx: SpendContext, input: { subject: UsageSubject; charge?: ChargeInput }): Promise<BudgetCheck> {
  const now = nowOf(ctx);
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const path = await resolvePath(tx, ctx.orgId, input.subject);
    const estimate = input.charge ? (await priceCharge(tx, ctx.orgId, path.currency, input.charge, now)).cost : 0n;
    const period = budgetPeriod(now, path.calendar);
    const rows = await tx.$queryRaw<
      { budget_id: string; scope: string; scope_id: string; period_limit: bigint; hard_limit: boolean; spend: bigint; reserved: bigint }[]
    >`
      SELECT b.id AS budget_id, b.scope::text AS scope, b.scope_id, b.period_limit + ${activeIncreaseSql("b")} AS period_limit, b.hard_limit,
             coalesce(p.spend, 0) AS spend, coalesce(p.reserved, 0) AS reserved
        FROM budgets b
        LEFT JOIN budget_periods p ON p.organization_id = b.organization_id AND p.budget_id = b.id AND p.period_start = ${period}::date
       WHERE b.organization_id = ${ctx.orgId}::uuid AND b.id = ANY(${path.budgetIds}::uuid[])`;
    const sorted = [...rows].sort((a, b) => (remaining(a) < remaining(b) ? -1 : remaining(a) > remaining(b) ? 1 : 0));
    const allowed = rows.every((r) => !r.hard_limit || r.spend + r.reserved + estimate <= r.period_limit);
    const t = sorted[0];
    return {
      allowed,
      periodStart: period,
      tightest: t
        ? {
            budgetId: t.budget_id,
            scope: t.scope,
            scopeId: t.scope_id,
            limit: t.period_limit,
            spent: t.spend,
            reserved: t.reserved,
            remaining: remaining(t),
            hardLimit: t.hard_limit,
          }
        : null,
    };
  });
}
