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
});
