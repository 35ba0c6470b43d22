import { DomainError, notFound } from "../../errors.js";
import type { OrgServiceContext } from "../service-context.js";

/**
 * The usage explorer: totals and breakdowns of an organization's usage over a range of local
 * days (its time zone), by day, team, member, model or API key, optionally filtered.
 *
 * Closed days come from the daily rollups (`usage_daily`), every day at or after the rollup
 * watermark straight from the usage records, so answers are exact whatever the rollup job last
 * did. Every record falls in exactly one bucket of each breakdown — records without a team
 * (or member, key, model) make the `null` bucket — so the total equals the sum over the
 * buckets of any breakdown.
 */

export type UsageGroup = "day" | "team" | "member" | "model" | "apiKey";

export interface UsageFilters {
  /** A team and all its sub-teams. */
  teamId?: string | null;
  memberId?: string | null;
  apiKeyId?: string | null;
  model?: string | null;
}

export interface UsageRange extends UsageFilters {
  /** First and last local day, inclusive ("2026-11-01"). */
  from: string;
  to: string;
}

export interface UsageTotals {
  requests: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
  cost: bigint;
}

export interface UsageBucket extends UsageTotals {
  /** The day, team/member/key id or model; null for usage with none. */
  key: string | null;
  label: string | null;
  /** The parent team of a team bucket. */
  parentId?: string | null;
  /** A team's cost with all its sub-teams'. */
  subtreeCost?: bigint;
}

/** The longest range one call may ask for (a year and a day: a leap year and a boundary). */
export const MAX_RANGE_DAYS = 367;

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

export function checkRange(range: { from: string; to: string }): number {
  const from = dayNumber(range.from);
  const to = dayNumber(range.to);
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw new DomainError("BAD_REQUEST", "Dates are YYYY-MM-DD", { field: "from", reason: "INVALID_DATE_RANGE" });
  if (to < from) throw new DomainError("BAD_REQUEST", "The range ends before it starts", { field: "to", reason: "INVALID_DATE_RANGE" });
  const days = to - from + 1;
  if (days > MAX_RANGE_DAYS)
    throw new DomainError("BAD_REQUEST", `At most ${MAX_RANGE_DAYS} days per query`, { field: "to", reason: "INVALID_DATE_RANGE" });
  return days;
}

/** Every local day of the range, in order. */
export function daysOf(range: { from: string; to: string }): string[] {
  const first = dayNumber(range.from);
  const count = checkRange(range);
  return Array.from({ length: count }, (_, i) => new Date((first + i) * DAY_MS).toISOString().slice(0, 10));
}

const GROUP_COLUMN: Record<UsageGroup, string> = {
  day: "r.day::text",
  team: "r.team_id::text",
  member: "r.member_id::text",
  model: "r.model",
  apiKey: "r.api_key_id::text",
};

/** Where each grouping's label comes from (joined on the bucket's key). */
const LABEL_JOIN: Record<UsageGroup, { join: string; label: string }> = {
  day: { join: "", label: "g.key" },
  model: { join: "", label: "g.key" },
  team: { join: "LEFT JOIN teams l ON l.organization_id = $1::uuid AND l.id::text = g.key", label: "l.name" },
  apiKey: { join: "LEFT JOIN org_api_keys l ON l.organization_id = $1::uuid AND l.id::text = g.key", label: "l.name" },
  member: {
    join: "LEFT JOIN members l ON l.organization_id = $1::uuid AND l.id::text = g.key LEFT JOIN users lu ON lu.id = l.user_id",
    label: "coalesce(nullif(lu.name, ''), lu.email)",
  },
};

interface TeamRow {
  id: string;
  name: string;
  parent_team_id: string | null;
}

/** A team and every team under it. */
function subtreeOf(teams: TeamRow[], rootId: string): string[] {
  const children = new Map<string, string[]>();
  for (const t of teams) if (t.parent_team_id) children.set(t.parent_team_id, [...(children.get(t.parent_team_id) ?? []), t.id]);
  const found: string[] = [];
  const queue = [rootId];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    found.push(id);
    queue.push(...(children.get(id) ?? []));
  }
  return found;
}

interface OrgFacts {
  currency: string;
  timezone: string;
  rolled_until: string | null;
  teams: TeamRow[] | null;
}

/** The organization's currency, zone and rollup watermark (and its teams, when asked), in one round trip. */
async function orgFacts(ctx: Pick<OrgServiceContext, "db" | "orgId">, withTeams: boolean): Promise<OrgFacts> {
  const [org] = await ctx.db.tenantRead<OrgFacts>(
    ctx,
    `SELECT o.currency, o.timezone, o.usage_rolled_until::text AS rolled_until,
            CASE WHEN $2 THEN (SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'parent_team_id', t.parent_team_id)), '[]')
                                 FROM teams t WHERE t.organization_id = o.id) END AS teams
       FROM organizations o WHERE o.id = $1::uuid`,
    [ctx.orgId, withTeams],
  );
  if (!org) throw notFound("Organization");
  return org;
}

/**
 * The grouped sums of the range with their labels, in one round trip: rolled-up days before the
 * watermark, records from its local midnight on. Both halves are filtered alike; a record is in
 * exactly one of them. The bounds are constants (the zone is known), so only the partitions of
 * the records' range are read.
 */
async function groupedUsage(
  ctx: Pick<OrgServiceContext, "db" | "orgId">,
  org: OrgFacts,
  range: UsageRange,
  group: UsageGroup,
  teamIds: string[] | null,
): Promise<(UsageTotals & { key: string | null; label: string | null })[]> {
  const params: (string | null)[] = [ctx.orgId, range.from, range.to, org.timezone, org.rolled_until];
  const param = (value: string) => {
    params.push(value);
    return `$${params.length}`;
  };
  const filters: string[] = [];
  if (teamIds) filters.push(`team_id IN (${teamIds.map((id) => `${param(id)}::uuid`).join(", ")})`);
  if (range.memberId) filters.push(`member_id = ${param(range.memberId)}::uuid`);
  if (range.apiKeyId) filters.push(`api_key_id = ${param(range.apiKeyId)}::uuid`);
  if (range.model) filters.push(`model = ${param(range.model)}`);
  const where = filters.map((f) => ` AND ${f}`).join("");
  const { join, label } = LABEL_JOIN[group];
  const rows = await ctx.db.tenantRead<{
    key: string | null;
    label: string | null;
    requests: string;
    in: string;
    out: string;
    cost: string;
  }>(
    ctx,
    `WITH r AS (
       SELECT day, team_id, member_id, api_key_id, model, requests, input_tokens, output_tokens, cost
         FROM usage_daily
        WHERE organization_id = $1::uuid AND day BETWEEN $2::date AND $3::date AND day < $5::date${where}
       UNION ALL
       SELECT (occurred_at AT TIME ZONE $4)::date, team_id, member_id, api_key_id, model, 1, input_tokens, output_tokens, cost
         FROM usage_records
        WHERE organization_id = $1::uuid
          AND occurred_at >= (greatest($2::date, coalesce($5::date, $2::date))::timestamp AT TIME ZONE $4)
          AND occurred_at < (($3::date + 1)::timestamp AT TIME ZONE $4)${where}
     ), g AS (
       SELECT ${GROUP_COLUMN[group]} AS key, sum(r.requests) AS requests, sum(r.input_tokens) AS "in", sum(r.output_tokens) AS "out", sum(r.cost) AS cost
         FROM r GROUP BY 1
     )
     SELECT g.key, ${label} AS label, g.requests::text, g."in"::text, g."out"::text, g.cost::text FROM g ${join}`,
    params,
  );
  return rows.map((r) => ({
    key: r.key,
    label: r.key === null ? null : r.label,
    requests: BigInt(r.requests),
    inputTokens: BigInt(r.in),
    outputTokens: BigInt(r.out),
    cost: BigInt(r.cost),
  }));
}

const ZERO: UsageTotals = { requests: 0n, inputTokens: 0n, outputTokens: 0n, cost: 0n };

function sumOf(rows: UsageTotals[]): UsageTotals {
  const total = { ...ZERO };
  for (const r of rows) {
    total.requests += r.requests;
    total.inputTokens += r.inputTokens;
    total.outputTokens += r.outputTokens;
    total.cost += r.cost;
  }
  return total;
}

/** Buckets of one breakdown with the total, ordered by cost (by day for days). */
export async function usageBreakdown(
  ctx: Pick<OrgServiceContext, "db" | "orgId">,
  input: UsageRange & { by: UsageGroup },
): Promise<{ currency: string; totals: UsageTotals; items: UsageBucket[] }> {
  checkRange(input);
  const org = await orgFacts(ctx, input.by === "team" || Boolean(input.teamId));
  const teams = org.teams ?? [];
  if (input.teamId && !teams.some((t) => t.id === input.teamId)) throw notFound("Team");
  const teamIds = input.teamId ? subtreeOf(teams, input.teamId) : null;
  const rows = await groupedUsage(ctx, org, input, input.by, teamIds);
  let items: UsageBucket[] = rows;
  if (input.by === "team") items = withTeamTree(items, teams);
  items.sort((a, b) =>
    input.by === "day"
      ? String(a.key).localeCompare(String(b.key))
      : a.cost === b.cost
        ? String(a.label).localeCompare(String(b.label))
        : a.cost > b.cost
          ? -1
          : 1,
  );
  return { currency: org.currency, totals: sumOf(rows), items };
}

/** Adds each team bucket's parent and the cost of its whole subtree (its own plus every descendant's). */
function withTeamTree(items: UsageBucket[], teams: TeamRow[]): UsageBucket[] {
  const parentOf = new Map(teams.map((t) => [t.id, t.parent_team_id]));
  const subtree = new Map<string, bigint>();
  for (const item of items) {
    if (item.key === null) continue;
    // Walk up from the team, adding its own cost to itself and every ancestor (depth ≤ 5).
    for (let id: string | null | undefined = item.key; id; id = parentOf.get(id)) subtree.set(id, (subtree.get(id) ?? 0n) + item.cost);
  }
  return items.map((item) => ({
    ...item,
    parentId: item.key === null ? null : (parentOf.get(item.key) ?? null),
    subtreeCost: item.key === null ? item.cost : (subtree.get(item.key) ?? item.cost),
  }));
}

/** The range's totals and one row per day (days without usage as zeros), for charts. */
export async function usageSummary(
  ctx: Pick<OrgServiceContext, "db" | "orgId">,
  input: UsageRange,
): Promise<{ currency: string; totals: UsageTotals; days: ({ day: string } & UsageTotals)[] }> {
  const days = daysOf(input);
  const { currency, totals, items } = await usageBreakdown(ctx, { ...input, by: "day" });
  const byDay = new Map(items.map((i) => [i.key as string, i]));
  return {
    currency,
    totals,
    days: days.map((day) => {
      const found = byDay.get(day);
      return {
        day,
        requests: found?.requests ?? 0n,
        inputTokens: found?.inputTokens ?? 0n,
        outputTokens: found?.outputTokens ?? 0n,
        cost: found?.cost ?? 0n,
      };
    }),
  };
}
