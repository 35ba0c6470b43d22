import { parseAsString } from "nuqs";

/** The audit log's filters as URL parameters (shared views survive a reload). */
export const auditFilterParsers = {
  action: parseAsString.withDefault(""),
  actor: parseAsString.withDefault(""),
  targetType: parseAsString.withDefault(""),
  target: parseAsString.withDefault(""),
  from: parseAsString.withDefault(""),
  to: parseAsString.withDefault(""),
};

export interface AuditFilterValues {
  action: string;
  actor: string;
  targetType: string;
  target: string;
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/**
 * The API's filters from the URL's: dates are whole days (UTC), `to` inclusive in the form and
 * exclusive in the API (the next midnight). Unknown or malformed values are left out rather than
 * sent to be refused.
 */
export function toApiFilters(values: AuditFilterValues, actions: readonly string[], targetTypes: readonly string[]) {
  const from = isDay(values.from) ? new Date(`${values.from}T00:00:00Z`) : undefined;
  const toDay = isDay(values.to) ? new Date(Date.parse(`${values.to}T00:00:00Z`) + DAY_MS) : undefined;
  const to = from && toDay && toDay <= from ? undefined : toDay;
  return {
    action: actions.includes(values.action) ? values.action : undefined,
    actorId: /^[0-9a-f-]{36}$/i.test(values.actor) ? values.actor : undefined,
    targetType: targetTypes.includes(values.targetType) ? values.targetType : undefined,
    targetId: values.target.trim() || undefined,
    from,
    to,
  };
}

export type AuditApiFilters = ReturnType<typeof toApiFilters>;

/** The export route's query string for the same filters. */
export function exportQuery(filters: AuditApiFilters, format: "csv" | "jsonl"): string {
  const query = new URLSearchParams({ format });
  if (filters.action) query.set("action", filters.action);
  if (filters.actorId) query.set("actorId", filters.actorId);
  if (filters.targetType) query.set("targetType", filters.targetType);
  if (filters.targetId) query.set("targetId", filters.targetId);
  if (filters.from) query.set("from", filters.from.toISOString());
  if (filters.to) query.set("to", filters.to.toISOString());
  return query.toString();
}
