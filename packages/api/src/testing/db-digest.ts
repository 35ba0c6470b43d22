import type pg from "pg";

/**
 * A digest of every row of every table (read by a superuser, past row-level security): equal
 * before and after a call exactly when the call changed nothing in the database.
 */
export async function databaseDigester(admin: pg.Client): Promise<() => Promise<string>> {
  const { rows } = await admin.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '_prisma_migrations' ORDER BY 1`,
  );
  const sql = `SELECT md5(string_agg(d, ',' ORDER BY d)) AS digest FROM (${rows
    .map((r) => `SELECT '${r.name}:' || coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') AS d FROM "${r.name}" t`)
    .join(" UNION ALL ")}) x`;
  return async () => (await admin.query<{ digest: string }>(sql)).rows[0]?.digest ?? "";
}
