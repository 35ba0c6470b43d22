import type { Database } from "@aihub/db";
import { budgetPeriod } from "../budgets/period.js";

/** No projection in a period's first day: one early charge would project a wild month. */
export const FORECAST_MIN_ELAPSED_MS = 24 * 3_600_000;

/**
 * Forecast alerts of one organization: for each active budget with a limit, the month-end
 * projection is spend × (period length ÷ time elapsed), in the organization's budget time zone,
 * computed exactly (numeric integer division, no float). When it exceeds the limit, one alert of
 * kind `forecast` (threshold 100) is written for the budget and period — once: the unique key
 * (budget, period, kind, threshold) makes a second run a no-op. Its deliveries are queued by the
 * same trigger as threshold alerts. Its `created_at` is `now` (the forecast's moment): deliveries
 * derive from it the day the limit is reached at that rate ("will exceed on …"). Returns how many
 * alerts it wrote.
 */
export async function forecastAlerts(db: Database, orgId: string, now: Date = new Date()): Promise<number> {
  return db.withTenant({ orgId }, async (tx) => {
    const [org] = await tx.$queryRaw<{ timezone: string; budget_timezone: string | null; budget_timezone_until: Date | null }[]>`
      SELECT timezone, budget_timezone, budget_timezone_until FROM organizations WHERE id = ${orgId}::uuid`;
    if (!org) return 0;
    const calendar = { timezone: org.timezone, budgetTimezone: org.budget_timezone, budgetTimezoneUntil: org.budget_timezone_until };
    const period = budgetPeriod(now, calendar);
    // The zone the running period is counted in (the old one until a change takes effect).
    const zone = org.budget_timezone && org.budget_timezone_until && now < org.budget_timezone_until ? org.budget_timezone : org.timezone;
    const rows = await tx.$queryRaw<{ id: string }[]>`
      WITH bounds AS (
        SELECT (${period}::date::timestamp AT TIME ZONE ${zone}) AS starts,
               ((${period}::date + interval '1 month')::timestamp AT TIME ZONE ${zone}) AS ends
      ), span AS (
        SELECT floor(extract(epoch FROM (${now}::timestamptz - starts)) * 1000)::numeric AS elapsed,
               floor(extract(epoch FROM (ends - starts)) * 1000)::numeric AS total
          FROM bounds
      ), projected AS (
        SELECT p.organization_id, p.budget_id, p.period_start, p.spend, b.period_limit,
               div(p.spend::numeric * s.total, s.elapsed)::bigint AS projection
          FROM budget_periods p
          JOIN budgets b ON b.organization_id = p.organization_id AND b.id = p.budget_id
         CROSS JOIN span s
         WHERE p.organization_id = ${orgId}::uuid AND p.period_start = ${period}::date
           AND b.status = 'active' AND b.period_limit > 0 AND p.spend > 0
           AND s.elapsed >= ${FORECAST_MIN_ELAPSED_MS} AND s.elapsed < s.total
      )
      INSERT INTO budget_alerts (organization_id, budget_id, period_start, kind, threshold, spend_at_alert, projected_spend, created_at)
      SELECT organization_id, budget_id, period_start, 'forecast', 100, spend, projection, ${now}::timestamptz
        FROM projected WHERE projection > period_limit
      ON CONFLICT (organization_id, budget_id, period_start, kind, threshold) DO NOTHING
      RETURNING id`;
    return rows.length;
  });
}
