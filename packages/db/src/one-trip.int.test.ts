import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "./client.js";
import { inlineParams, sqlLiteral } from "./one-trip.js";
import { createOrg } from "./testing/factories.js";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.js";

// One-trip tenant reads: settings and read in one simple-protocol message, parameters inlined.
let testDb: TestDatabase;
let single: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  // One connection, so every call below reuses the very session the previous one ran on.
  single = createDatabase({ url: testDb.appUrl, poolMax: 1 });
});
afterAll(async () => {
  await single.close();
  await testDb.drop();
});

describe("tenantRead", () => {
  it("sees only its tenant's rows and leaves no setting behind on the pooled connection", async () => {
    const a = await createOrg(single);
    const b = await createOrg(single);
    const rows = await single.tenantRead<{ organization_id: string }>({ orgId: a.org.id }, "SELECT organization_id FROM members");
    expect(rows.map((r) => r.organization_id)).toEqual([a.org.id]);
    expect(await single.tenantRead({ orgId: b.org.id }, "SELECT id FROM organizations WHERE id = $1::uuid", [a.org.id])).toEqual([]);

    const after = await single.pool.query(
      "SELECT current_setting('app.current_org_id', true) AS org, current_setting('app.current_user_id', true) AS usr, (SELECT count(*)::int FROM members) AS members",
    );
    expect(after.rows[0]).toEqual({ org: "", usr: "", members: 0 });
  });

  it("carries any text as itself: quotes, backslashes, dollar signs and semicolons are data, not SQL", async () => {
    const { org } = await createOrg(single);
    for (const text of ["it's", "back\\slash", "'; DROP TABLE members; --", "$1 $$ $2", "E'\\x41'", "ünï©ødé"]) {
      const [row] = await single.tenantRead<{ t: string }>({ orgId: org.id }, "SELECT $1::text AS t", [text]);
      expect(row?.t).toBe(text);
    }
    expect(await single.tenantRead({ orgId: org.id }, "SELECT count(*)::int AS n FROM members")).toEqual([{ n: 1 }]);
  });

  it("refuses a tenant id that is not a uuid, and a parameter it was not given", async () => {
    await expect(single.tenantRead({ orgId: "x' OR true --" }, "SELECT 1")).rejects.toThrow(/must be a UUID/);
    expect(() => inlineParams("SELECT $2", ["only one"])).toThrow(/No parameter \$2/);
    expect(() => sqlLiteral(Number.NaN)).toThrow(/finite/);
    expect(sqlLiteral(new Date("2030-01-02T03:04:05.678Z"))).toBe("'2030-01-02T03:04:05.678Z'");
    expect(sqlLiteral(null)).toBe("NULL");
  });
});

describe("tenantBatch", () => {
  it("runs each statement under its own tenant, all in one transaction: one failure writes nothing", async () => {
    const a = await createOrg(single);
    const b = await createOrg(single);
    const name = (orgId: string) =>
      single.tenantRead<{ name: string }>({ orgId }, "SELECT name FROM organizations WHERE id = $1::uuid", [orgId]).then((r) => r[0]?.name);
    await single.tenantBatch([
      { ctx: { orgId: a.org.id }, sql: "UPDATE organizations SET name = $1 WHERE id = $2::uuid", params: ["A renamed", a.org.id] },
      // Under a's settings b's row is invisible: this touches nothing.
      { ctx: { orgId: a.org.id }, sql: "UPDATE organizations SET name = 'stolen' WHERE id = $1::uuid", params: [b.org.id] },
      { ctx: { orgId: b.org.id }, sql: "UPDATE organizations SET name = $1 WHERE id = $2::uuid", params: ["B renamed", b.org.id] },
    ]);
    expect([await name(a.org.id), await name(b.org.id)]).toEqual(["A renamed", "B renamed"]);

    await expect(
      single.tenantBatch([
        { ctx: { orgId: a.org.id }, sql: "UPDATE organizations SET name = 'A again' WHERE id = $1::uuid", params: [a.org.id] },
        { ctx: { orgId: b.org.id }, sql: "SELECT 1 / 0" },
      ]),
    ).rejects.toThrow(/division by zero/);
    expect(await name(a.org.id)).toBe("A renamed");
  });
});
