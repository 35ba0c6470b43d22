import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ROLE } from "./config.js";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.js";

// Reads the catalog as a superuser, so it covers every table a future migration adds.
let testDb: TestDatabase;
let admin: pg.Client;

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await testDb.drop();
});

interface TableSecurity {
  table: string;
  rls: boolean;
  forced: boolean;
  policies: number;
}

async function tablesWithColumn(column: string): Promise<TableSecurity[]> {
  const { rows } = await admin.query<TableSecurity>(
    `SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
            (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $1 AND NOT a.attisdropped)
      ORDER BY 1`,
    [column],
  );
  return rows;
}

describe("security catalog", () => {
  it("has row-level security enabled, forced and with a policy on every tenant table", async () => {
    const tenantTables = await tablesWithColumn("organization_id");
    expect(tenantTables.map((t) => t.table)).toEqual(expect.arrayContaining(["members", "teams", "audit_events"]));
    const unprotected = tenantTables.filter((t) => !t.rls || !t.forced || t.policies === 0);
    expect(unprotected).toEqual([]);
  });

  it("protects organizations by their own id", async () => {
    const { rows } = await admin.query<TableSecurity>(
      `SELECT relrowsecurity AS rls, relforcerowsecurity AS forced,
              (SELECT count(*)::int FROM pg_policy WHERE polrelid = 'organizations'::regclass) AS policies
         FROM pg_class WHERE oid = 'organizations'::regclass`,
    );
    expect(rows[0]).toMatchObject({ rls: true, forced: true });
    expect(rows[0]?.policies).toBeGreaterThan(0);
  });

  it("gives the app role no way around row-level security", async () => {
    const { rows } = await admin.query(
      "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolcanlogin FROM pg_roles WHERE rolname = $1",
      [APP_ROLE],
    );
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, rolcanlogin: true });
    const owned = await admin.query(
      `SELECT c.relname FROM pg_class c WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
       UNION ALL SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = $1)
       UNION ALL SELECT nspname FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
      [APP_ROLE],
    );
    expect(owned.rows).toEqual([]);
    // Nor may it inherit rights from a role that has them.
    const memberOf = await admin.query(
      "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = $1)",
      [APP_ROLE],
    );
    expect(memberOf.rows).toEqual([]);
  });

  it("connects the app as the app role, unable to change the schema or read the migration history", async () => {
    const app = new pg.Client({ connectionString: testDb.appUrl });
    await app.connect();
    try {
      const { rows } = await app.query("SELECT current_user AS role");
      expect(rows[0]?.role).toBe(APP_ROLE);
      await expect(app.query("CREATE TABLE sneaky (id int)")).rejects.toThrow(/permission denied/);
      await expect(app.query("ALTER TABLE teams DISABLE ROW LEVEL SECURITY")).rejects.toThrow(/must be owner/);
      await expect(app.query("SELECT * FROM _prisma_migrations")).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });
});
