import type { TenantTransaction } from "./tenant.js";

/**
 * The demo company's money: a price list, budgets at every scope and 90 days of usage, written
 * set-based (one INSERT … SELECT over generate_series per organization, so the embedded first
 * start stays fast). Counters are then derived from the records exactly as the charging path
 * keeps them — every record counts on the org, its member, its key, and its team with all the
 * team's ancestors — and each hard limit is set so that no period was ever overspent.
 */

/** Micro-units per million tokens (1.00 = 1,000,000). */
const PRICES = [
  { model: "gpt-4o", input: 2_500_000n, output: 10_000_000n },
  { model: "gpt-4o-mini", input: 150_000n, output: 600_000n },
  { model: "claude-sonnet-4", input: 3_000_000n, output: 15_000_000n },
  { model: "text-embedding-3-small", input: 20_000n, output: 0n },
];

/** Who spends, and how often (weights out of their sum). */
export interface DemoSpender {
  teamId: string | null;
  memberId: string | null;
  apiKeyId: string | null;
  weight: number;
}

/** A budget of the demo: its scope, and the share of its limit the busiest month used (hard) or its fixed limit. */
export interface DemoBudget {
  scope: "organization" | "team" | "member" | "api_key";
  scopeId: string;
  hardLimit: boolean;
  /** The limit is set so the busiest period used this share of it (hard budgets stay ≤ 1). */
  peakUse: number;
}

export async function seedSpend(
  tx: TenantTransaction,
  orgId: string,
  input: { recordsPerDay: number; days: number; spenders: DemoSpender[]; budgets: DemoBudget[] },
): Promise<void> {
  for (const p of PRICES) {
    await tx.$executeRaw`
      INSERT INTO model_prices (organization_id, model, input_price, output_price, effective_from)
      VALUES (${orgId}::uuid, ${p.model}, ${p.input}, ${p.output}, now() - interval '1 year')`;
  }
  // Spenders expanded by weight into 100 slots; each record picks a slot and a model by hash.
  const slots = input.spenders.flatMap((s) => Array.from({ length: s.weight }, () => s));
  const total = input.recordsPerDay * input.days;
  await tx.$executeRaw`
    WITH org AS (SELECT timezone AS tz, currency FROM organizations WHERE id = ${orgId}::uuid),
    slots AS (
      SELECT ordinality - 1 AS slot, team_id, member_id, api_key_id
        FROM unnest(${slots.map((s) => s.teamId)}::uuid[], ${slots.map((s) => s.memberId)}::uuid[], ${slots.map((s) => s.apiKeyId)}::uuid[])
             WITH ORDINALITY AS x(team_id, member_id, api_key_id, ordinality)
    ),
    prices AS (
      SELECT row_number() OVER (ORDER BY model) - 1 AS n, model, input_price, output_price
        FROM model_prices WHERE organization_id = ${orgId}::uuid
    ),
    draws AS (
      -- Spread evenly back from now, a little busier on weekdays; hashes make it repeatable.
      SELECT i, now() - (i * (${input.days} * 86400.0 / ${total})) * interval '1 second' AS at,
             abs(hashtext('slot' || i)) AS h1, abs(hashtext('model' || i)) AS h2, abs(hashtext('tokens' || i)) AS h3
        FROM generate_series(1, ${total}) AS i
    )
    INSERT INTO usage_records (organization_id, occurred_at, period_start, team_id, member_id, api_key_id, model,
                               input_tokens, output_tokens, cost, currency)
    SELECT ${orgId}::uuid, d.at, date_trunc('month', d.at AT TIME ZONE org.tz)::date, s.team_id, s.member_id, s.api_key_id, p.model,
           t.input_tokens, t.output_tokens,
           -- The product's rule: rounded up to a whole micro-unit.
           ceil((t.input_tokens * p.input_price + t.output_tokens * p.output_price) / 1000000.0)::bigint,
           org.currency
      FROM draws d CROSS JOIN org
      JOIN slots s ON s.slot = d.h1 % ${slots.length}
      JOIN prices p ON p.n = d.h2 % ${PRICES.length}
      CROSS JOIN LATERAL (SELECT 300 + d.h3 % 9000 AS input_tokens,
                                 CASE WHEN p.model LIKE 'text-embedding%' THEN 0 ELSE 80 + (d.h3 / 9000) % 2000 END AS output_tokens) t
     WHERE extract(isodow FROM d.at AT TIME ZONE org.tz) < 6 OR d.h1 % 3 = 0`;

  for (const b of input.budgets) {
    await tx.$executeRaw`
      INSERT INTO budgets (organization_id, scope, scope_id, period_limit, hard_limit)
      VALUES (${orgId}::uuid, ${b.scope}::budget_scope, ${b.scopeId}::uuid, 0, ${b.hardLimit})`;
  }
  await tx.$executeRaw`
    WITH RECURSIVE subtree(root, id) AS (
      SELECT id, id FROM teams WHERE organization_id = ${orgId}::uuid
      UNION ALL
      SELECT s.root, t.id FROM subtree s JOIN teams t ON t.organization_id = ${orgId}::uuid AND t.parent_team_id = s.id
    )
    INSERT INTO budget_periods (organization_id, budget_id, period_start, spend)
    SELECT ${orgId}::uuid, b.id, u.period_start, sum(u.cost)
      FROM budgets b
      JOIN usage_records u ON u.organization_id = b.organization_id
       AND (b.scope = 'organization'
            OR (b.scope = 'member' AND u.member_id = b.scope_id)
            OR (b.scope = 'api_key' AND u.api_key_id = b.scope_id)
            OR (b.scope = 'team' AND u.team_id IN (SELECT id FROM subtree WHERE root = b.scope_id)))
     WHERE b.organization_id = ${orgId}::uuid
     GROUP BY b.id, u.period_start`;
  // Limits in whole currency units, from the busiest period: a hard budget was never passed.
  for (const b of input.budgets) {
    const use = b.hardLimit ? Math.min(b.peakUse, 1) : b.peakUse;
    await tx.$executeRaw`
      UPDATE budgets SET period_limit = greatest(1, ceil(coalesce(
               (SELECT max(p.spend) FROM budget_periods p WHERE p.organization_id = budgets.organization_id AND p.budget_id = budgets.id), 0)
               / ${use}::numeric / 1000000))::bigint * 1000000
       WHERE organization_id = ${orgId}::uuid AND scope = ${b.scope}::budget_scope AND scope_id = ${b.scopeId}::uuid`;
  }
  // The thresholds each period reached, as the charging path records them (once each).
  await tx.$executeRaw`
    INSERT INTO budget_alerts (organization_id, budget_id, period_start, threshold, spend_at_alert)
    SELECT p.organization_id, p.budget_id, p.period_start, t.threshold, p.spend
      FROM budget_periods p
      JOIN budgets b ON b.organization_id = p.organization_id AND b.id = p.budget_id
     CROSS JOIN LATERAL unnest(b.alert_thresholds) AS t(threshold)
     WHERE p.organization_id = ${orgId}::uuid AND b.period_limit > 0 AND p.spend * 100 >= b.period_limit * t.threshold
    ON CONFLICT DO NOTHING`;
}
