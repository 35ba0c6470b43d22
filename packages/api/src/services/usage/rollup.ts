import type { Database, TenantTransaction } from "@aihub/db";

/**
 * Recomputes one organization's daily rollups (`usage_daily`) for one local day in its time
 * zone from the usage records, per team, member, key and model. Usage records are never changed
 * once written, so recomputing a day is idempotent and a job may run it again at any time
 * (e.g. for yesterday and today, every few minutes). Returns how many rollup rows it wrote.
 */
export async function rollupUsageDay(db: Database, orgId: string, day: string): Promise<number> {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return db.withTenant({ orgId }, (tx) => rollupDays(tx, orgId, day, next));
}

/**
 * Recomputes the rollups of the local days from `fromDay` up to (not including) `untilDay` from
 * the records, set-based; each day × team × member × key × model row replaced whole. Returns how
 * many rollup rows it wrote.
 */
async function rollupDays(tx: TenantTransaction, orgId: string, fromDay: string, untilDay: string): Promise<number> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    WITH zone AS (SELECT timezone AS tz FROM organizations WHERE id = ${orgId}::uuid)
    INSERT INTO usage_daily AS d (organization_id, day, team_id, member_id, api_key_id, model, requests, input_tokens, output_tokens, cost, updated_at)
    SELECT u.organization_id, (u.occurred_at AT TIME ZONE zone.tz)::date, u.team_id, u.member_id, u.api_key_id, u.model,
           count(*), sum(u.input_tokens), sum(u.output_tokens), sum(u.cost), now()
      FROM usage_records u, zone
     WHERE u.organization_id = ${orgId}::uuid
       AND u.occurred_at >= (${fromDay}::date::timestamp AT TIME ZONE zone.tz)
       AND u.occurred_at < (${untilDay}::date::timestamp AT TIME ZONE zone.tz)
     GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (organization_id, day, team_id, member_id, api_key_id, model) DO UPDATE
      SET requests = EXCLUDED.requests, input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
          cost = EXCLUDED.cost, updated_at = now()
    RETURNING d.id`;
  return rows.length;
}

/**
 * Local days stay open this long after their midnight: a charge's occurred_at is taken when its
 * transaction starts, so one that began just before midnight may commit a little after it.
 */
export const DAY_CLOSE_GRACE_MS = 15 * 60_000;

/**
 * Closes every finished local day not yet closed: recomputes its rollups from the records and
 * moves the organization's watermark (`organizations.usage_rolled_until`) past it, in one
 * transaction under the organization's row lock, so several processes may run it at once. The
 * explorer reads days before the watermark from the rollups and the rest from the records.
 * Returns the new watermark (null when the organization has no usage yet).
 */
export async function closeUsageDays(db: Database, orgId: string, now: Date = new Date()): Promise<string | null> {
  return db.withTenant({ orgId }, async (tx) => {
    // The organization's row lock makes concurrent runs take turns.
    const [row] = await tx.$queryRaw<{ close_until: string; rolled_until: string | null; first_day: string | null }[]>`
      SELECT ((${now}::timestamptz - ${`${DAY_CLOSE_GRACE_MS} milliseconds`}::interval) AT TIME ZONE o.timezone)::date::text AS close_until,
             o.usage_rolled_until::text AS rolled_until,
             (SELECT (min(occurred_at) AT TIME ZONE o.timezone)::date::text FROM usage_records WHERE organization_id = o.id) AS first_day
        FROM organizations o WHERE o.id = ${orgId}::uuid
         FOR UPDATE OF o`;
    if (!row) return null;
    const from = row.rolled_until ?? row.first_day;
    if (from === null) return null;
    if (from < row.close_until) await rollupDays(tx, orgId, from, row.close_until);
    const until = from < row.close_until ? row.close_until : from;
    await tx.$executeRaw`UPDATE organizations SET usage_rolled_until = ${until}::date WHERE id = ${orgId}::uuid`;
    return until;
  });
}
