import type { Database } from "@aihub/db";

/**
 * Recomputes one organization's daily rollups (`usage_daily`) for one local day in its time
 * zone from the usage records, per team, member, key and model. Usage records are never changed
 * once written, so recomputing a day is idempotent and a job may run it again at any time
 * (e.g. for yesterday and today, every few minutes). Returns how many rollup rows it wrote.
 */
export async function rollupUsageDay(db: Database, orgId: string, day: string): Promise<number> {
  return db.withTenant({ orgId }, async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      WITH zone AS (SELECT timezone AS tz FROM organizations WHERE id = ${orgId}::uuid)
      INSERT INTO usage_daily AS d (organization_id, day, team_id, member_id, api_key_id, model, requests, input_tokens, output_tokens, cost, updated_at)
      SELECT u.organization_id, ${day}::date, u.team_id, u.member_id, u.api_key_id, u.model,
             count(*), sum(u.input_tokens), sum(u.output_tokens), sum(u.cost), now()
        FROM usage_records u, zone
       WHERE u.organization_id = ${orgId}::uuid
         AND u.occurred_at >= (${day}::date::timestamp AT TIME ZONE zone.tz)
         AND u.occurred_at < ((${day}::date + 1)::timestamp AT TIME ZONE zone.tz)
       GROUP BY u.organization_id, u.team_id, u.member_id, u.api_key_id, u.model
      ON CONFLICT (organization_id, day, team_id, member_id, api_key_id, model) DO UPDATE
        SET requests = EXCLUDED.requests, input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
            cost = EXCLUDED.cost, updated_at = now()
      RETURNING d.id`;
    return rows.length;
  });
}
