import type { TenantTransaction } from "@aihub/db";
import { activeIncreaseSql } from "./increases.js";

/**
 * A budget's counter in one period, as the conditional update saw it (under its row lock).
 * `period_limit` is the effective limit: the budget's own plus its approved increases running now.
 */
export interface CounterRow {
  budget_id: string;
  scope: string;
  scope_id: string;
  period_limit: bigint;
  hard_limit: boolean;
  /** Whether the budget refuses what does not fit (an active, hard-limited budget). */
  binding: boolean;
  spend: bigint;
  reserved: bigint;
  /** Whether the change fits this budget. */
  fits: boolean;
}

/** Creates the counters of the period for these budgets where missing (a no-op when present). */
export async function ensureCounters(tx: TenantTransaction, orgId: string, budgetIds: string[], period: string): Promise<void> {
  if (budgetIds.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO budget_periods (organization_id, budget_id, period_start)
    SELECT ${orgId}::uuid, b, ${period}::date FROM unnest(${[...budgetIds].sort()}::uuid[]) AS b ORDER BY b
    ON CONFLICT (organization_id, budget_id, period_start) DO NOTHING`;
}

/**
 * Changes the counters of every budget on a path in one statement, all or none: `reserved`
 * by `deltaReserved` and `spend` by `deltaSpend`. Where the change grows what a budget holds
 * (their sum is positive), every binding budget must still fit:
 * spend + reserved + growth ≤ limit, read under the row lock the statement itself takes
 * (`FOR UPDATE`, in budget id order so two paths never deadlock). If one budget does not fit,
 * the UPDATE changes no row at all. Overspending would need two statements to read the same
 * counter before either writes it, which the lock rules out; there is no read-then-write
 * across round trips.
 *
 * Returns whether it applied and every counter as it was before, with whether the change fit.
 */
export async function applyToCounters(
  tx: TenantTransaction,
  orgId: string,
  budgetIds: string[],
  period: string,
  deltaReserved: bigint,
  deltaSpend: bigint,
): Promise<{ applied: boolean; rows: CounterRow[] }> {
  if (budgetIds.length === 0) return { applied: true, rows: [] };
  const growth = deltaReserved + deltaSpend > 0n ? deltaReserved + deltaSpend : 0n;
  const rows = await tx.$queryRaw<(CounterRow & { ok: boolean })[]>`
    WITH target AS (
      SELECT p.budget_id, b.scope::text AS scope, b.scope_id, b.period_limit + ${activeIncreaseSql("b")} AS period_limit, b.hard_limit,
             (b.hard_limit AND b.status = 'active') AS binding, p.spend, p.reserved
        FROM budget_periods p
        JOIN budgets b ON b.organization_id = p.organization_id AND b.id = p.budget_id
       WHERE p.organization_id = ${orgId}::uuid AND p.budget_id = ANY(${budgetIds}::uuid[]) AND p.period_start = ${period}::date
       ORDER BY p.budget_id
         FOR UPDATE OF p
    ), verdict AS (
      SELECT coalesce(bool_and(NOT t.binding OR t.spend + t.reserved + ${growth}::bigint <= t.period_limit), true) AS ok
        FROM target t
    ), applied AS (
      UPDATE budget_periods p
         SET reserved = p.reserved + ${deltaReserved}::bigint, spend = p.spend + ${deltaSpend}::bigint, updated_at = now()
        FROM verdict v
       WHERE v.ok AND p.organization_id = ${orgId}::uuid AND p.budget_id = ANY(${budgetIds}::uuid[]) AND p.period_start = ${period}::date
      RETURNING p.budget_id
    )
    SELECT t.budget_id, t.scope, t.scope_id, t.period_limit, t.hard_limit, t.binding, t.spend, t.reserved,
           (NOT t.binding OR t.spend + t.reserved + ${growth}::bigint <= t.period_limit) AS fits,
           v.ok AND (SELECT count(*) FROM applied) = (SELECT count(*) FROM target) AS ok
      FROM target t CROSS JOIN verdict v
     ORDER BY t.budget_id`;
  return { applied: rows.every((r) => r.ok), rows };
}

/**
 * Records each alert threshold a budget's spend has reached in the period: once per budget,
 * period and threshold (the unique key), however many charges cross it at once. Runs in the
 * charging transaction, after the counters changed, so it sees the new spend.
 */
export async function recordCrossedThresholds(tx: TenantTransaction, orgId: string, budgetIds: string[], period: string): Promise<void> {
  if (budgetIds.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO budget_alerts (organization_id, budget_id, period_start, threshold, spend_at_alert)
    SELECT p.organization_id, p.budget_id, p.period_start, t.threshold, p.spend
      FROM budget_periods p
      JOIN budgets b ON b.organization_id = p.organization_id AND b.id = p.budget_id
     CROSS JOIN LATERAL unnest(b.alert_thresholds) AS t(threshold)
     WHERE p.organization_id = ${orgId}::uuid AND p.budget_id = ANY(${budgetIds}::uuid[]) AND p.period_start = ${period}::date
       AND b.period_limit > 0 AND p.spend * 100 >= b.period_limit * t.threshold
    ON CONFLICT (organization_id, budget_id, period_start, kind, threshold) DO NOTHING`;
}
