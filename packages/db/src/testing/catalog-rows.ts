import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { APP_ROLE, OWNER_ROLE } from "../config.js";

/**
 * Test support for the per-table policy suite: reads tables, columns, keys, grants and policies
 * from the catalog, and builds valid rows of any tenant table from it (parents first), so a new
 * tenant table is covered without anyone writing a fixture for it.
 */

export interface SqlSession {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

export type AdminRole = "superuser" | "owner";

/**
 * A superuser connection that runs each piece of work in its own transaction, as the superuser
 * or as the owner role (SET LOCAL ROLE: what RLS sees is the same as logging in as it), with no
 * tenant context. Works on PostgreSQL and on the embedded database (where every connection is
 * one superuser session that otherwise acts as the app role).
 */
export class AdminSession {
  private constructor(private readonly client: pg.Client) {}

  static async connect(url: string): Promise<AdminSession> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new AdminSession(client);
  }

  async transaction<T>(role: AdminRole, work: (q: SqlSession) => Promise<T>): Promise<T> {
    await this.client.query("BEGIN");
    try {
      const { rows } = await this.client.query<{ superuser: string }>(
        "SELECT usesuper::text AS superuser FROM pg_user WHERE usename = session_user",
      );
      if (rows[0]?.superuser !== "true") throw new Error("AdminSession needs a superuser connection");
      await this.client.query(`SET LOCAL ROLE ${role === "owner" ? OWNER_ROLE : "NONE"}`);
      await this.client.query("SELECT set_config('app.current_org_id', '', true), set_config('app.current_user_id', '', true)");
      const result = await work(this.client);
      await this.client.query("COMMIT");
      return result;
    } catch (error) {
      await this.client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  }

  /** Shorthand: one statement as the superuser. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.transaction("superuser", (q) => q.query<R>(sql, params));
  }

  end(): Promise<void> {
    return this.client.end();
  }
}

export interface CatalogColumn {
  name: string;
  /** As `format_type` spells it: valid in a cast. */
  type: string;
  /** pg_type.typcategory: S string, N numeric, B boolean, D date/time, E enum, A array, U user (uuid, json). */
  category: string;
  notNull: boolean;
  hasDefault: boolean;
  generated: boolean;
  enumLabels: string[];
  /** The declared length of character(n), else null. */
  length: number | null;
}

export interface CatalogForeignKey {
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface CatalogPolicy {
  name: string;
  /** ALL, SELECT, INSERT, UPDATE or DELETE. */
  command: string;
  roles: string[];
  using: string | null;
  withCheck: string | null;
}

export interface CatalogTable {
  name: string;
  columns: CatalogColumn[];
  primaryKey: string[];
  foreignKeys: CatalogForeignKey[];
  rls: boolean;
  forced: boolean;
  policies: CatalogPolicy[];
  /** What the app role may do to the table at all (grants). */
  appMay: { select: boolean; insert: boolean; update: boolean; delete: boolean };
}

export type Catalog = Map<string, CatalogTable>;

/** The root of every tenant: protected by a policy on its own id rather than organization_id. */
export const ORG_TABLE = "organizations";
export const TENANT_COLUMN = "organization_id";

export async function readCatalog(q: SqlSession): Promise<Catalog> {
  const tables = await q.query<{
    name: string;
    rls: boolean;
    forced: boolean;
    select: boolean;
    insert: boolean;
    update: boolean;
    delete: boolean;
  }>(
    `SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
            has_table_privilege($1, c.oid, 'SELECT') AS select, has_table_privilege($1, c.oid, 'INSERT') AS insert,
            has_table_privilege($1, c.oid, 'UPDATE') AS update, has_table_privilege($1, c.oid, 'DELETE') AS delete
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname NOT LIKE '\\_prisma%'
      ORDER BY 1`,
    [APP_ROLE],
  );
  const columns = await q.query<CatalogColumn & { table: string }>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typcategory AS category,
            a.attnotnull AS "notNull", a.atthasdef AS "hasDefault", (a.attidentity <> '' OR a.attgenerated <> '') AS generated,
            COALESCE((SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '{}') AS "enumLabels",
            CASE WHEN t.typname = 'bpchar' AND a.atttypmod > 4 THEN a.atttypmod - 4 END AS length
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const keys = await q.query<{ table: string; kind: string; columns: string[]; refTable: string | null; refColumns: string[] | null }>(
    `SELECT c.relname AS table, k.contype AS kind,
            ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i) AS columns,
            r.relname AS "refTable",
            ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i) AS "refColumns"
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class r ON r.oid = k.confrelid
      WHERE n.nspname = 'public' AND k.contype IN ('p', 'f')`,
  );
  const policies = await q.query<CatalogPolicy & { table: string }>(
    `SELECT tablename AS table, policyname AS name, cmd AS command, roles::text[] AS roles, qual AS using, with_check AS "withCheck"
       FROM pg_policies WHERE schemaname = 'public'`,
  );
  const catalog: Catalog = new Map();
  for (const t of tables.rows) {
    catalog.set(t.name, {
      name: t.name,
      columns: columns.rows.filter((c) => c.table === t.name),
      primaryKey: keys.rows.find((k) => k.table === t.name && k.kind === "p")?.columns ?? [],
      foreignKeys: keys.rows
        .filter((k) => k.table === t.name && k.kind === "f")
        .map((k) => ({ columns: k.columns, refTable: k.refTable as string, refColumns: k.refColumns ?? [] })),
      rls: t.rls,
      forced: t.forced,
      policies: policies.rows.filter((p) => p.table === t.name),
      appMay: { select: t.select, insert: t.insert, update: t.update, delete: t.delete },
    });
  }
  return catalog;
}

/** Tables whose rows belong to one organization: an organization_id column, plus organizations itself. */
export function tenantTables(catalog: Catalog): CatalogTable[] {
  return [...catalog.values()].filter((t) => t.name === ORG_TABLE || t.columns.some((c) => c.name === TENANT_COLUMN));
}

/** The column that names a row's organization. */
export function tenantKey(table: CatalogTable): string {
  return table.name === ORG_TABLE ? "id" : TENANT_COLUMN;
}

/** Policies that apply to the app role (to PUBLIC or to it by name) for a command. */
export function appPolicies(table: CatalogTable, command: "SELECT" | "INSERT" | "UPDATE" | "DELETE"): CatalogPolicy[] {
  return table.policies.filter(
    (p) => (p.command === "ALL" || p.command === command) && (p.roles.includes("public") || p.roles.includes(APP_ROLE)),
  );
}

/**
 * The column that makes rows visible to one user (`<column> = app_current_user_id()` in a
 * SELECT policy of the app role), if any.
 */
export function userColumn(table: CatalogTable): string | null {
  for (const policy of appPolicies(table, "SELECT")) {
    const match = /(?<![.\w])"?(\w+)"? = app_current_user_id\(\)/.exec(policy.using ?? "");
    if (match && table.columns.some((c) => c.name === match[1])) return match[1] as string;
  }
  return null;
}

/** Whether an app-role SELECT policy shows rows by organization (the tenant context). */
export function readableByOrg(table: CatalogTable): boolean {
  return appPolicies(table, "SELECT").some((p) => (p.using ?? "").includes("app_current_org_id()"));
}

export interface OrgRef {
  id: string;
  /** A member of the organization: the user that user-referencing rows point at when a hint says so. */
  ownerUserId: string;
}

/**
 * Where the catalog cannot know what a valid row is (a policy that needs the referenced user to
 * be a member, say), a hint gives the column's value. Everything else comes from the catalog.
 */
export type RowHints = Record<string, Record<string, (org: OrgRef) => unknown>>;

export type Row = Record<string, unknown>;

function hex(bytes = 6): string {
  return randomBytes(bytes).toString("hex");
}

/** A fresh value of the column's type that passes the usual checks (lower-case, non-blank, positive). */
export function generatedValue(table: string, column: CatalogColumn): unknown {
  if (column.enumLabels.length > 0) return column.enumLabels[0];
  switch (column.category) {
    case "S":
      return column.length ? "x".repeat(column.length) : `r${hex()}`;
    case "N":
      return String(1 + Math.floor(Math.random() * 1_000_000_000));
    case "B":
      return "true";
    case "D":
      return new Date(Date.now() + 86_400_000).toISOString();
    case "A":
      return "{}";
    case "U":
      if (column.type === "uuid") return randomUUID();
      if (column.type === "jsonb" || column.type === "json") return "{}";
      break;
  }
  throw new Error(`cannot make a value for ${table}.${column.name} (${column.type}): give the row builder a hint for it`);
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Builds and inserts valid rows of any table, for a given organization, as the superuser. */
export class RowFactory {
  constructor(
    private readonly catalog: Catalog,
    private readonly admin: AdminSession,
    private readonly hints: RowHints = {},
  ) {}

  table(name: string): CatalogTable {
    const table = this.catalog.get(name);
    if (!table) throw new Error(`no table ${name}`);
    return table;
  }

  /**
   * The values of a new row of `tableName` in `org`: every column that must be given (NOT NULL
   * without a default, the organization, required references), with required parents inserted
   * first. Nothing of the row itself is inserted.
   */
  async values(tableName: string, org: OrgRef): Promise<Row> {
    const table = this.table(tableName);
    const isTenant = table.name === ORG_TABLE || table.columns.some((c) => c.name === TENANT_COLUMN);
    const row: Row = isTenant ? { [tenantKey(table)]: org.id } : {};
    for (const [column, hint] of Object.entries(this.hints[tableName] ?? {})) row[column] = hint(org);
    for (const fk of table.foreignKeys) {
      const required = fk.columns.filter((c) => c !== TENANT_COLUMN && !(c in row));
      if (required.length === 0) continue;
      if (!required.some((c) => table.columns.find((col) => col.name === c)?.notNull)) continue;
      if (fk.refTable === ORG_TABLE) {
        for (const c of required) row[c] = org.id;
        continue;
      }
      const parent = await this.insert(fk.refTable, org);
      fk.columns.forEach((c, i) => {
        if (!(c in row)) row[c] = parent[fk.refColumns[i] as string];
      });
    }
    for (const column of table.columns) {
      if (column.name in row || !column.notNull || column.hasDefault || column.generated) continue;
      row[column.name] = generatedValue(tableName, column);
    }
    return row;
  }

  /** An INSERT of `row` into the table, with each value cast to its column's type. */
  insertStatement(tableName: string, row: Row, returning = ""): { sql: string; params: unknown[] } {
    const table = this.table(tableName);
    const names = Object.keys(row);
    const casts = names.map((n, i) => `$${i + 1}::${table.columns.find((c) => c.name === n)?.type ?? "text"}`);
    return {
      sql: `INSERT INTO ${quote(tableName)} (${names.map(quote).join(", ")}) VALUES (${casts.join(", ")})${returning}`,
      params: names.map((n) => row[n]),
    };
  }

  /** Inserts a new row of the table in `org` as the superuser; returns the stored row. */
  async insert(tableName: string, org: OrgRef, overrides: Row = {}): Promise<Row> {
    const row = { ...(await this.values(tableName, org)), ...overrides };
    const { sql, params } = this.insertStatement(tableName, row, ` RETURNING to_jsonb(${quote(tableName)}.*) AS row`);
    const result = await this.admin.query<{ row: Row }>(sql, params);
    return result.rows[0]?.row as Row;
  }

  /** `WHERE` matching one row by its primary key, parameters from `offset + 1`. */
  wherePrimaryKey(tableName: string, row: Row, offset = 0): { sql: string; params: unknown[] } {
    const table = this.table(tableName);
    if (table.primaryKey.length === 0) throw new Error(`${tableName} has no primary key`);
    return {
      sql: table.primaryKey
        .map((c, i) => `${quote(c)} = $${offset + i + 1}::${table.columns.find((col) => col.name === c)?.type}`)
        .join(" AND "),
      params: table.primaryKey.map((c) => row[c]),
    };
  }

  /** The row as the superuser sees it now (null when gone). */
  async snapshot(tableName: string, row: Row): Promise<Row | null> {
    const where = this.wherePrimaryKey(tableName, row);
    const result = await this.admin.query<{ row: Row }>(
      `SELECT to_jsonb(t.*) AS row FROM ${quote(tableName)} t WHERE ${where.sql}`,
      where.params,
    );
    return result.rows[0]?.row ?? null;
  }

  /** How many rows of the organization the table holds, as the superuser sees it. */
  async countFor(tableName: string, orgId: string): Promise<number> {
    const table = this.table(tableName);
    const result = await this.admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${quote(tableName)} WHERE ${quote(tenantKey(table))} = $1::uuid`,
      [orgId],
    );
    return result.rows[0]?.n ?? 0;
  }

  /**
   * A column an attacker would change, and a new value for it: the first ordinary column (not a
   * key, not a reference) the builder can make a value for.
   */
  changeableColumn(tableName: string): { column: string; value: unknown; type: string } {
    const table = this.table(tableName);
    const excluded = new Set([tenantKey(table), ...table.primaryKey, ...table.foreignKeys.flatMap((fk) => fk.columns)]);
    for (const column of table.columns) {
      if (excluded.has(column.name) || column.generated) continue;
      try {
        const value = column.enumLabels.length > 0 ? column.enumLabels.at(-1) : generatedValue(tableName, column);
        return { column: column.name, value, type: column.type };
      } catch {}
    }
    throw new Error(`${tableName} has no column the suite can change`);
  }
}

export { quote as quoteIdentifier };
