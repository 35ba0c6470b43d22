import { parseAsString, parseAsStringLiteral } from "nuqs";
import type { UsageGroup } from "./cost-breakdown";

export const USAGE_GROUPS = ["day", "team", "member", "model", "apiKey"] as const satisfies readonly UsageGroup[];

/** The explorer's view in the URL (a shared link shows the same range, grouping and filters). */
export const usageFilterParsers = {
  from: parseAsString.withDefault(""),
  to: parseAsString.withDefault(""),
  by: parseAsStringLiteral(USAGE_GROUPS).withDefault("day"),
  team: parseAsString.withDefault(""),
  member: parseAsString.withDefault(""),
  key: parseAsString.withDefault(""),
  model: parseAsString.withDefault(""),
};

export interface UsageFilterValues {
  from: string;
  to: string;
  by: UsageGroup;
  team: string;
  member: string;
  key: string;
  model: string;
}

const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const isId = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/**
 * The API's query from the URL's: the range defaults to this month so far (UTC days); malformed
 * values are left out rather than sent to be refused; from after to is swapped.
 */
export function toUsageQuery(values: UsageFilterValues, today: string) {
  let from = isDay(values.from) ? values.from : `${today.slice(0, 8)}01`;
  let to = isDay(values.to) ? values.to : today;
  if (from > to) [from, to] = [to, from];
  return {
    from,
    to,
    by: values.by,
    ...(isId(values.team) ? { teamId: values.team } : {}),
    ...(isId(values.member) ? { memberId: values.member } : {}),
    ...(isId(values.key) ? { apiKeyId: values.key } : {}),
    ...(values.model.trim() ? { model: values.model.trim().slice(0, 200) } : {}),
  };
}

/** The CSV export's URL for the same query. */
export function usageExportHref(orgId: string, query: ReturnType<typeof toUsageQuery>): string {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return `/api/orgs/${orgId}/usage/export?${params.toString()}`;
}
