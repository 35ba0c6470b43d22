import pg from "pg";

/**
 * Everything a migration can build in the public schema, as sorted lines: tables with their
 * row-level security flags and grants, columns, indexes, constraints, policies, functions (body,
 * result, security, settings, grants), triggers, types and schema grants. Two databases with
 * equal snapshots were migrated to the same state. The migration history table is left out.
 */
export async function schemaSnapshot(url: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const lines = async (sql: string) => (await client.query<{ line: string }>(sql)).rows.map((r) => r.line).sort();
    const inPublic = `n.nspname = 'public'`;
    return {
      tables: await lines(`
        SELECT format('%s kind=%s rls=%s forced=%s owner=%s acl=%s', c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity,
                      pg_get_userbyid(c.relowner), coalesce(array_to_string(array(SELECT unnest(c.relacl)::text ORDER BY 1), ','), '')) AS line
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE ${inPublic} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relname <> '_prisma_migrations'`),
      columns: await lines(`
        SELECT format('%s.%s #%s %s notnull=%s default=%s', c.relname, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod),
                      a.attnotnull, pg_get_expr(d.adbin, d.adrelid)) AS line
          FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE ${inPublic} AND c.relkind IN ('r', 'p', 'v') AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`),
      indexes: await lines(`SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`),
      constraints: await lines(`
        SELECT format('%s %s %s deferrable=%s deferred=%s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid),
                      c.condeferrable, c.condeferred) AS line
          FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
         WHERE ${inPublic} AND c.conrelid <> 0 AND c.conrelid::regclass::text <> '_prisma_migrations'`),
      policies: await lines(`
        SELECT format('%s %s %s %s roles=%s using=%s check=%s', tablename, policyname, permissive, cmd, roles, qual, with_check) AS line
          FROM pg_policies WHERE schemaname = 'public'`),
      functions: await lines(`
        SELECT format('%s(%s) returns %s kind=%s definer=%s volatility=%s config=%s owner=%s acl=%s body=%s', p.proname,
                      pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid), p.prokind, p.prosecdef,
                      p.provolatile, p.proconfig, pg_get_userbyid(p.proowner),
                      coalesce(array_to_string(array(SELECT unnest(p.proacl)::text ORDER BY 1), ','), ''), p.prosrc) AS line
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${inPublic}`),
      triggers: await lines(`
        SELECT format('%s enabled=%s', pg_get_triggerdef(t.oid), t.tgenabled) AS line
          FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE ${inPublic} AND NOT t.tgisinternal`),
      types: await lines(`
        SELECT format('%s %s %s', t.typname, t.typtype,
                      (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)) AS line
          FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE ${inPublic} AND t.typtype IN ('e', 'd', 'c') AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c')`),
      schema: await lines(`
        SELECT format('public owner=%s acl=%s', pg_get_userbyid(nspowner), array_to_string(array(SELECT unnest(nspacl)::text ORDER BY 1), ',')) AS line
          FROM pg_namespace WHERE nspname = 'public'`),
    };
  } finally {
    await client.end();
  }
}
