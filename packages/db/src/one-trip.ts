import pg from "pg";
import { APP_ROLE } from "./config.js";
import { checkedId, type TenantContext } from "./tenant.js";

/** What may be inlined into a one-trip read: each becomes a literal, checked or escaped here. */
export type SqlValue = string | number | boolean | Date | null;

/** One value as an SQL literal: text escaped by the driver, numbers finite, instants as ISO text. */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`Not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return `'${value.toISOString()}'`;
  return pg.escapeLiteral(value);
}

/** `$1`, `$2`, … in `sql` replaced by the literals of `params` (the text is ours; values may be anyone's). */
export function inlineParams(sql: string, params: readonly SqlValue[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= params.length) throw new RangeError(`No parameter $${n}`);
    return sqlLiteral(params[index] as SqlValue);
  });
}

/**
 * The statement that scopes the rest of its transaction to the tenant, as text (every id
 * checked to be a uuid first): the same three transaction-local settings as `withTenant`.
 */
export function tenantSettingsSql(ctx: TenantContext): string {
  const orgId = checkedId(ctx.orgId, "orgId");
  const userId = checkedId(ctx.userId, "userId");
  return `SELECT set_config('role', '${APP_ROLE}', true), set_config('app.current_org_id', '${orgId}', true), set_config('app.current_user_id', '${userId}', true)`;
}

/**
 * A tenant-scoped read in ONE round trip: the tenant settings and the read travel as one
 * simple-protocol message, which PostgreSQL runs as one implicit transaction — the settings are
 * transaction-local and gone at its end, nothing is prepared by name, so it is safe on a pooled
 * connection and through PgBouncer in transaction mode. (`withTenant` through Prisma costs
 * BEGIN, the settings, each query and COMMIT: four round trips or more.) Reads only: writes
 * keep Prisma and their explicit transactions. The simple protocol has no parameters, so they
 * are inlined as literals by {@link inlineParams}.
 */
export async function tenantRead<Row>(pool: pg.Pool, ctx: TenantContext, sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
  const text = `${tenantSettingsSql(ctx)}; ${inlineParams(sql, params)}`;
  const results = (await pool.query(text)) as unknown as pg.QueryResult[];
  return (results[results.length - 1]?.rows ?? []) as Row[];
}

/**
 * Several tenant-scoped statements (e.g. bookkeeping writes of many organizations) in one round
 * trip and one implicit transaction: each group runs after its own tenant's settings.
 */
export async function tenantBatch(
  pool: pg.Pool,
  groups: { ctx: TenantContext; sql: string; params?: readonly SqlValue[] }[],
): Promise<void> {
  if (groups.length === 0) return;
  const text = groups.map((g) => `${tenantSettingsSql(g.ctx)}; ${inlineParams(g.sql, g.params ?? [])}`).join("; ");
  await pool.query(text);
}
