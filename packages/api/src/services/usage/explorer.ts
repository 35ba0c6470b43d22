import { Prisma as P, type Prisma, type TenantTransaction } from "@aihub/db";
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

const GROUP_COLUMN: Record<UsageGroup, Prisma.Sql> = {
  day: P.sql`day::text`,
  team: P.sql`team_id::text`,
  member: P.sql`member_id::text`,
  model: P.sql`model`,
  apiKey: P.sql`api_key_id::text`,
};

interface TeamRow {
  id: string;
  name: string;
  parent_team_id: string | null;
}

async function teamsOf(tx: TenantTransaction, orgId: string): Promise<TeamRow[]> {
  return tx.$queryRaw<TeamRow[]>`SELECT id, name, parent_team_id FROM teams WHERE organization_id = ${orgId}::uuid`;
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

/**
 * The grouped sums of the range: rolled-up days before the watermark, records from it on.
 * Both halves are filtered alike; a record is in exactly one of them.
 */
async function groupedUsage(
  tx: TenantTransaction,
  orgId: string,
  range: UsageRange,
  group: UsageGroup,
  teamIds: string[] | null,
): Promise<({ key: string | null } & UsageTotals)[]> {
  const where = (alias: string) => {
    const a = P.raw(alias);
    const parts: Prisma.Sql[] = [];
    if (teamIds) parts.push(P.sql`${a}.team_id = ANY(${teamIds}::uuid[])`);
    if (range.memberId) parts.push(P.sql`${a}.member_id = ${range.memberId}::uuid`);
    if (range.apiKeyId) parts.push(P.sql`${a}.api_key_id = ${range.apiKeyId}::uuid`);
    if (range.model) parts.push(P.sql`${a}.model = ${range.model}`);
    return parts.length ? P.sql`AND ${P.join(parts, " AND ")}` : P.empty;
  };
  return tx.$queryRaw`
    WITH org AS (
      SELECT timezone AS tz, usage_rolled_until AS rolled_until FROM organizations WHERE id = ${orgId}::uuid
    ), rows AS (
      SELECT d.day, d.team_id, d.member_id, d.api_key_id, d.model, d.requests, d.input_tokens, d.output_tokens, d.cost
        FROM usage_daily d, org
       WHERE d.organization_id = ${orgId}::uuid AND d.day BETWEEN ${range.from}::date AND ${range.to}::date
         AND d.day < org.rolled_until ${where("d")}
      UNION ALL
      SELECT (u.occurred_at AT TIME ZONE org.tz)::date, u.team_id, u.member_id, u.api_key_id, u.model, 1, u.input_tokens, u.output_tokens, u.cost
        FROM usage_records u, org
       WHERE u.organization_id = ${orgId}::uuid
         AND u.occurred_at >= (greatest(${range.from}::date, coalesce(org.rolled_until, ${range.from}::date))::timestamp AT TIME ZONE org.tz)
         AND u.occurred_at < ((${range.to}::date + 1)::timestamp AT TIME ZONE org.tz) ${where("u")}
    )
    SELECT ${GROUP_COLUMN[group]} AS key, sum(requests)::bigint AS requests, sum(input_tokens)::bigint AS "inputTokens",
           sum(output_tokens)::bigint AS "outputTokens", sum(cost)::bigint AS cost
      FROM rows GROUP BY 1`;
}

async function currencyOf(tx: TenantTransaction, orgId: string): Promise<string> {
  const [org] = await tx.$queryRaw<{ currency: string }[]>`SELECT currency FROM organizations WHERE id = ${orgId}::uuid`;
  if (!org) throw notFound("Organization");
  return org.currency;
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

async function labelsOf(tx: TenantTransaction, orgId: string, group: UsageGroup, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0 || group === "day" || group === "model") return new Map(keys.map((k) => [k, k]));
  const rows =
    group === "member"
      ? await tx.$queryRaw<{ id: string; label: string }[]>`
          SELECT m.id, coalesce(nullif(u.name, ''), u.email) AS label FROM members m JOIN users u ON u.id = m.user_id
           WHERE m.organization_id = ${orgId}::uuid AND m.id = ANY(${keys}::uuid[])`
      : group === "apiKey"
        ? await tx.$queryRaw<{ id: string; label: string }[]>`
            SELECT id, name AS label FROM org_api_keys WHERE organization_id = ${orgId}::uuid AND id = ANY(${keys}::uuid[])`
        : await tx.$queryRaw<{ id: string; label: string }[]>`
            SELECT id, name AS label FROM teams WHERE organization_id = ${orgId}::uuid AND id = ANY(${keys}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.label]));
}

/** Buckets of one breakdown with the total, ordered by cost (by day for days). */
export async function usageBreakdown(
  ctx: Pick<OrgServiceContext, "db" | "orgId">,
  input: UsageRange & { by: UsageGroup },
): Promise<{ currency: string; totals: UsageTotals; items: UsageBucket[] }> {
  checkRange(input);
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const currency = await currencyOf(tx, ctx.orgId);
    const teams = input.by === "team" || input.teamId ? await teamsOf(tx, ctx.orgId) : [];
    if (input.teamId && !teams.some((t) => t.id === input.teamId)) throw notFound("Team");
    const teamIds = input.teamId ? subtreeOf(teams, input.teamId) : null;
    const rows = await groupedUsage(tx, ctx.orgId, input, input.by, teamIds);
    const labels = await labelsOf(
      tx,
      ctx.orgId,
      input.by,
      rows.flatMap((r) => (r.key === null ? [] : [r.key])),
    );
    let items: UsageBucket[] = rows.map((r) => ({ ...r, label: r.key === null ? null : (labels.get(r.key) ?? null) }));
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
    return { currency, totals: sumOf(rows), items };
  });
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
