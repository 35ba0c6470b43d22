import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoKeyIssuer, seedDemoData } from "./seed.js";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.js";

// The demo company's API keys: created as the product creates them (the issuer's prefix and
// hash, never the key itself), one per kind the console shows — org-wide with limits,
// team-bound, revoked — and none without an issuer.
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

/** A stand-in for the product's issuer that remembers what it issued. */
function recordingIssuer() {
  const issued: string[] = [];
  const issuer: DemoKeyIssuer = {
    generate: () => {
      const key = `aih_test_${randomBytes(16).toString("hex")}`;
      issued.push(key);
      return { key, prefix: key.slice(0, 16) };
    },
    hash: (key) => createHash("sha256").update(`pepper:${key}`).digest("hex"),
  };
  return { issuer, issued };
}

describe("demo seed", () => {
  it("gives each demo org its keys: hashed by the issuer, team-bound where named, one revoked, limits kept", async () => {
    const { db } = testDb;
    const { issuer, issued } = recordingIssuer();
    expect(await seedDemoData(db, { keys: issuer })).toEqual({ created: true });

    // Past row-level security: which organizations the seed made.
    const admin = new pg.Client({ connectionString: testDb.adminUrl });
    await admin.connect();
    const { rows: orgs } = await admin.query<{ id: string; slug: string }>("SELECT id, slug FROM organizations").finally(() => admin.end());
    const acme = orgs.find((o) => o.slug === "acme-robotics");
    const globex = orgs.find((o) => o.slug === "globex-research");
    if (!acme || !globex) throw new Error("demo orgs missing");

    const keysOf = (orgId: string) =>
      db.withTenant({ orgId }, (tx) => tx.orgApiKey.findMany({ include: { team: { select: { name: true } } }, orderBy: { name: "asc" } }));
    const acmeKeys = await keysOf(acme.id);
    const globexKeys = await keysOf(globex.id);
    const all = [...acmeKeys, ...globexKeys];

    expect(all).toHaveLength(issued.length);
    expect(issued).toHaveLength(4);
    // Only the hash and the prefix of each issued key are stored; the key itself nowhere.
    expect(new Set(all.map((k) => k.keyHash))).toEqual(new Set(issued.map((key) => issuer.hash(key))));
    for (const key of issued) expect(JSON.stringify(all)).not.toContain(key);
    expect(new Set(all.map((k) => k.keyPrefix))).toEqual(new Set(issued.map((key) => key.slice(0, 16))));

    const byName = new Map(all.map((k) => [k.name, k]));
    expect(byName.get("Production gateway")).toMatchObject({
      teamId: null,
      rateLimitPerMinute: 600,
      monthlyQuota: 5_000_000,
      status: "active",
    });
    expect(byName.get("Platform CI")?.team?.name).toBe("Platform");
    expect(byName.get("Old staging key")).toMatchObject({ status: "revoked" });
    expect(byName.get("Old staging key")?.revokedAt).toBeInstanceOf(Date);
    expect(byName.get("Research notebooks")).toMatchObject({ organizationId: globex.id, rateLimitPerMinute: 60, monthlyQuota: 50_000 });
    expect(byName.get("Research notebooks")?.team?.name).toBe("Research");
    // Created by each org's owner, so the console's "created by" column has a name.
    const owners = await db.prisma.$queryRaw<{ id: string; email: string }[]>`SELECT id, email FROM users`;
    const ada = owners.find((u) => u.email === "ada@acme.example")?.id;
    expect(acmeKeys.every((k) => k.createdById === ada)).toBe(true);
  });

  it("gives the demo 90 days of usage (≤ 50,000 rows) with counters equal to the records on every path and no hard budget ever passed", async () => {
    const admin = new pg.Client({ connectionString: testDb.adminUrl });
    await admin.connect();
    try {
      const count = await admin.query<{ n: number; days: number; unpriced: number }>(
        `SELECT count(*)::int AS n, (max(occurred_at)::date - min(occurred_at)::date)::int AS days,
                count(*) FILTER (WHERE cost = 0 AND model NOT LIKE 'text-embedding%')::int AS unpriced FROM usage_records`,
      );
      expect(count.rows[0]?.n).toBeGreaterThan(10_000);
      expect(count.rows[0]?.n).toBeLessThanOrEqual(50_000);
      expect(count.rows[0]?.days).toBeGreaterThanOrEqual(88);
      expect(count.rows[0]?.unpriced).toBe(0);
      // Each counter recomputed here from the records: the org's all of them, a team's those of
      // its subtree (walked in JavaScript), a member's and a key's their own.
      const records = (
        await admin.query<{
          organization_id: string;
          period_start: string;
          team_id: string | null;
          member_id: string | null;
          api_key_id: string | null;
          cost: string;
        }>("SELECT organization_id, period_start::text, team_id, member_id, api_key_id, cost::text FROM usage_records")
      ).rows;
      const teams = (await admin.query<{ id: string; parent_team_id: string | null }>("SELECT id, parent_team_id FROM teams")).rows;
      const parentOf = new Map(teams.map((t) => [t.id, t.parent_team_id]));
      const within = (team: string | null, root: string) => {
        for (let t = team; t; t = parentOf.get(t) ?? null) if (t === root) return true;
        return false;
      };
      const counters = (
        await admin.query<{
          organization_id: string;
          scope: string;
          scope_id: string;
          period_start: string;
          spend: string;
          period_limit: string;
          hard_limit: boolean;
        }>(
          `SELECT b.organization_id, b.scope::text, b.scope_id, p.period_start::text, p.spend::text, b.period_limit::text, b.hard_limit
             FROM budget_periods p JOIN budgets b ON b.id = p.budget_id`,
        )
      ).rows;
      expect(new Set(counters.map((c) => c.scope))).toEqual(new Set(["organization", "team", "member", "api_key"]));
      for (const c of counters) {
        const mine = records.filter(
          (r) =>
            r.organization_id === c.organization_id &&
            r.period_start === c.period_start &&
            (c.scope === "organization" ||
              (c.scope === "member" && r.member_id === c.scope_id) ||
              (c.scope === "api_key" && r.api_key_id === c.scope_id) ||
              (c.scope === "team" && within(r.team_id, c.scope_id))),
        );
        expect(c.spend, `${c.scope} ${c.period_start}`).toBe(mine.reduce((a, r) => a + BigInt(r.cost), 0n).toString());
        if (c.hard_limit) expect(BigInt(c.spend) <= BigInt(c.period_limit), `${c.scope} ${c.period_start}`).toBe(true);
      }
      // The soft team budget went over in some month, and its alerts say so.
      const alerts = await admin.query<{ threshold: number }>("SELECT DISTINCT threshold FROM budget_alerts ORDER BY 1");
      expect(alerts.rows.map((r) => r.threshold)).toEqual([50, 80, 100]);
    } finally {
      await admin.end();
    }
  });
});
