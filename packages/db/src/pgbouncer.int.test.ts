import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "./client.js";
import { describeTenantIsolation } from "./tenant-isolation.suite.js";
import { createOrg } from "./testing/factories.js";
import { type PgBouncer, startPgBouncer } from "./testing/pgbouncer.js";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.js";

/**
 * The app's database access through PgBouncer 1.18 in transaction pooling mode, three server
 * connections shared by many clients: the whole per-table isolation suite, and tenant context
 * that never outlives its transaction on a shared server connection — for Prisma's interactive
 * transactions and for the one-round-trip reads alike.
 */
let testDb: TestDatabase;
let bouncer: PgBouncer;
let bounced: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  bouncer = await startPgBouncer({ poolSize: 3 });
  bounced = createDatabase({ url: bouncer.through(testDb.appUrl), poolMax: 30 });
});
afterAll(async () => {
  await bounced?.close();
  await bouncer?.stop();
  await testDb?.drop();
});

describeTenantIsolation("PostgreSQL through PgBouncer (transaction pooling)", () => bounced, {
  concurrent: true,
  adminUrl: () => testDb.adminUrl,
  ownerRoleOwnsTables: true,
});

describe("tenant context through a transaction pooler", () => {
  it("never leaks between transactions sharing server connections: 300 concurrent tenant calls of two orgs and bare queries", async () => {
    const orgs = [
      await createOrg(testDb.db, { members: [{ role: "admin" }] }),
      await createOrg(testDb.db, { members: [{ role: "viewer" }] }),
    ];
    const ids = orgs.map((o) => o.org.id);
    const seen: { expected: string | null; orgs: string[]; setting: string | null; pid: number }[] = [];
    const call = async (i: number) => {
      const kind = i % 3;
      const orgId = ids[i % 2] as string;
      if (kind === 0) {
        // Prisma's interactive transaction: BEGIN, settings, queries, COMMIT.
        await bounced.withTenant({ orgId }, async (tx) => {
          const rows = await tx.$queryRaw<{ organization_id: string; setting: string; pid: number }[]>`
            SELECT organization_id, current_setting('app.current_org_id', true) AS setting, pg_backend_pid() AS pid FROM members`;
          seen.push({
            expected: orgId,
            orgs: rows.map((r) => r.organization_id),
            setting: rows[0]?.setting ?? null,
            pid: rows[0]?.pid ?? 0,
          });
        });
      } else if (kind === 1) {
        // The one-round-trip read: settings and read in one implicit transaction.
        const rows = await bounced.tenantRead<{ organization_id: string; setting: string; pid: number }>(
          { orgId },
          "SELECT organization_id, current_setting('app.current_org_id', true) AS setting, pg_backend_pid() AS pid FROM members",
        );
        seen.push({ expected: orgId, orgs: rows.map((r) => r.organization_id), setting: rows[0]?.setting ?? null, pid: rows[0]?.pid ?? 0 });
      } else {
        // No tenant: on a server connection a tenant just used, nothing of it may remain.
        const { rows } = await bounced.pool.query<{ setting: string | null; n: number; pid: number }>(
          "SELECT nullif(current_setting('app.current_org_id', true), '') AS setting, (SELECT count(*)::int FROM members) AS n, pg_backend_pid() AS pid",
        );
        const row = rows[0] as { setting: string | null; n: number; pid: number };
        seen.push({ expected: null, orgs: Array.from({ length: row.n }, () => "?"), setting: row.setting, pid: row.pid });
      }
    };
    await Promise.all(Array.from({ length: 300 }, (_, i) => call(i)));

    expect(seen).toHaveLength(300);
    const wrong = seen.filter((s) =>
      s.expected === null ? s.orgs.length > 0 || s.setting !== null : s.setting !== s.expected || s.orgs.some((o) => o !== s.expected),
    );
    expect(wrong).toEqual([]);
    // Each tenant call saw its org's members (two each: the owner and one more).
    expect(seen.filter((s) => s.expected).every((s) => s.orgs.length === 2)).toBe(true);
    // The calls really shared server connections: at most the pool's size of backends, each used many times.
    const pids = new Set(seen.map((s) => s.pid));
    expect(pids.size).toBeLessThanOrEqual(bouncer.poolSize);
    expect(seen.length / pids.size).toBeGreaterThan(10);
  });

  it("keeps a failed transaction's settings and writes from the next client on the same server connection", async () => {
    const { org } = await createOrg(testDb.db);
    await expect(
      bounced.withTenant({ orgId: org.id }, async (tx) => {
        await tx.$executeRaw`UPDATE organizations SET description = 'half-done' WHERE id = ${org.id}::uuid`;
        throw new Error("rolled back on purpose");
      }),
    ).rejects.toThrow("rolled back on purpose");
    const after = await Promise.all(
      Array.from({ length: 10 }, () =>
        bounced.pool.query<{ setting: string | null }>("SELECT nullif(current_setting('app.current_org_id', true), '') AS setting"),
      ),
    );
    expect(after.map((r) => r.rows[0]?.setting)).toEqual(Array(10).fill(null));
    const [row] = await bounced.tenantRead<{ description: string | null }>(
      { orgId: org.id },
      "SELECT description FROM organizations WHERE id = $1",
      [org.id],
    );
    expect(row?.description).not.toBe("half-done");
  });
});
