import { createOrg, createTestDatabase, startRedisProxy, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { authenticateApiKey } from "./services/api-keys/authenticate-api-key.js";
import { issueApiKey } from "./services/api-keys/issue-api-key.js";
import { generateApiKey } from "./services/api-keys/key-format.js";
import { flushLastUsed } from "./services/api-keys/last-used.js";
import {
  type ApiKeyLookup,
  forgetApiKey,
  LocalKeyCache,
  lookupApiKeyRow,
  type VerifyDeps,
  verifyApiKey,
} from "./services/api-keys/verify-api-key.js";
import { createRedisStore, type Store } from "./store/index.js";
import { TEST_REDIS_URL } from "./testing/stores.js";
import { asUser, createWorld, type World } from "./testing/world.js";

/**
 * Verification of API keys on the hot path (real PostgreSQL and Redis): an explicit status for
 * each case, cached answers that cost no database round trip, changes seen by other processes
 * on their next call (and within 1 s with Redis down), last use written once a minute.
 */
let testDb: TestDatabase;
let w: World;
let admin: pg.Client;
const stores: Store[] = [];
const redis = () => {
  const store = createRedisStore(TEST_REDIS_URL, { commandTimeoutMs: 1_000 });
  stores.push(store);
  return store;
};
/** A store once connected (commands are not queued while connecting: they would fail fast). */
async function connected(store: Store): Promise<Store> {
  for (let i = 0; i < 50; i++) {
    try {
      await store.get("ping");
      return store;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error("Redis did not connect");
}
const redisUp = () => connected(redis());
beforeAll(async () => {
  testDb = await createTestDatabase();
  w = await createWorld(testDb.db, await redisUp());
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  for (const store of stores) await store.close();
  await testDb?.drop();
});

const owner = () => createCaller(asUser(w, "owner"));
const newKey = async (input: { teamId?: string } = {}) =>
  (await owner().apiKey.create({ orgId: w.orgId, name: `svc ${Math.random()}`, scopes: ["team:read"], ...input })).key;

/** A verifier as one process would have it (its own in-process cache), counting database lookups. */
function verifier(store: Store, now?: () => Date) {
  const counter = { lookups: 0 };
  const lookup: ApiKeyLookup = (db, hash) => {
    counter.lookups += 1;
    return lookupApiKeyRow(db, hash);
  };
  const deps: VerifyDeps = { db: w.db, store, localCache: new LocalKeyCache(), lookup, now };
  return { verify: (key: string) => verifyApiKey(deps, key), counter };
}

describe("verifyApiKey", () => {
  it("answers valid with the identity, and a status for every refusal", async () => {
    const v = verifier(await redisUp());
    const key = await newKey();
    const ok = await v.verify(key);
    expect(ok.status).toBe("valid");
    expect(ok.identity).toMatchObject({ kind: "api_key", orgId: w.orgId, scopes: ["team:read"] });

    expect((await v.verify(generateApiKey().key)).status).toBe("not_found");
    expect((await v.verify("aih_live_nonsense")).status).toBe("not_found");

    const revoked = await owner().apiKey.create({ orgId: w.orgId, name: "to revoke", scopes: ["team:read"] });
    await owner().apiKey.revoke({ orgId: w.orgId, apiKeyId: revoked.apiKey.id });
    expect(await v.verify(revoked.key)).toEqual({ status: "revoked" });

    const rotated = await owner().apiKey.create({ orgId: w.orgId, name: "to rotate", scopes: ["team:read"] });
    expect((await v.verify(rotated.key)).status).toBe("valid");
    const next = await owner().apiKey.rotate({ orgId: w.orgId, apiKeyId: rotated.apiKey.id, gracePeriodSeconds: 0 });
    expect(await v.verify(rotated.key)).toEqual({ status: "expired" });
    expect((await v.verify(next.key)).status).toBe("valid");

    // No answer carries the key.
    expect(JSON.stringify([ok, await v.verify(revoked.key)])).not.toContain(key.slice(9));
  });

  it("answers a cached key, found or not, without a database lookup", async () => {
    const v = verifier(await redisUp());
    const key = await newKey();
    for (let i = 0; i < 5; i++) expect((await v.verify(key)).status).toBe("valid");
    expect(v.counter.lookups).toBe(1);
    const unknown = generateApiKey().key;
    for (let i = 0; i < 5; i++) expect((await v.verify(unknown)).status).toBe("not_found");
    expect(v.counter.lookups).toBe(2);
    // Another process (own in-process cache, own Redis connection) is served by Redis too.
    const other = verifier(await redisUp());
    expect((await other.verify(key)).status).toBe("valid");
    expect(other.counter.lookups).toBe(0);
  });

  it("shows revoke and update to another process on its next call", async () => {
    const a = verifier(await redisUp());
    const b = verifier(await redisUp());
    const created = await owner().apiKey.create({ orgId: w.orgId, name: "shared", scopes: ["team:read"] });
    expect((await a.verify(created.key)).status).toBe("valid");
    expect((await b.verify(created.key)).status).toBe("valid");
    await owner().apiKey.update({ orgId: w.orgId, apiKeyId: created.apiKey.id, scopes: ["team:read", "usage:read"] });
    expect((await b.verify(created.key)).identity).toMatchObject({ scopes: ["team:read", "usage:read"] });
    await owner().apiKey.revoke({ orgId: w.orgId, apiKeyId: created.apiKey.id });
    expect((await b.verify(created.key)).status).toBe("revoked");
    expect((await a.verify(created.key)).status).toBe("revoked");
  });

  it("with Redis down, answers from its in-process cache for at most 1 s, then from PostgreSQL, without hanging", async () => {
    const proxy = await startRedisProxy();
    const cut = await connected(createRedisStore(proxy.url, { commandTimeoutMs: 100 }));
    stores.push(cut);
    let clock = Date.now();
    const v = verifier(cut, () => new Date(clock));
    const created = await owner().apiKey.create({ orgId: w.orgId, name: "offline", scopes: ["team:read"] });
    expect((await v.verify(created.key)).status).toBe("valid");
    await proxy.stop();
    await owner().apiKey.revoke({ orgId: w.orgId, apiKeyId: created.apiKey.id });
    const started = Date.now();
    // Within the second: the in-process entry may still answer (the documented bound).
    expect((await v.verify(created.key)).status).toBe("valid");
    clock += 1_001;
    expect((await v.verify(created.key)).status).toBe("revoked");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("lets exactly N of 3×N concurrent requests through across two processes, with a retry-after", async () => {
    const n = 5;
    const created = await owner().apiKey.create({ orgId: w.orgId, name: "limited", scopes: ["team:read"], rateLimitPerMinute: n });
    const a = verifier(await redisUp());
    const b = verifier(await redisUp());
    const results = await Promise.all(Array.from({ length: 3 * n }, (_, i) => (i % 2 ? a : b).verify(created.key)));
    expect(results.filter((r) => r.status === "valid")).toHaveLength(n);
    const refused = results.filter((r) => r.status === "rate_limited");
    expect(refused).toHaveLength(2 * n);
    for (const r of refused) {
      expect(r.identity).toBeUndefined();
      expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(r.retryAfterSeconds).toBeLessThanOrEqual(60 / n);
    }
    // The successor of a rotation shares the counter: rotating does not reset the limit.
    const next = await owner().apiKey.rotate({ orgId: w.orgId, apiKeyId: created.apiKey.id, gracePeriodSeconds: 60 });
    expect((await a.verify(next.key)).status).toBe("rate_limited");
  });

  it("writes last_used_at once for many calls within a minute", async () => {
    const created = await owner().apiKey.create({ orgId: w.orgId, name: "busy", scopes: ["team:read"], rateLimitPerMinute: 1000 });
    const first = new Date("2030-01-01T00:00:00Z");
    let clock = first.getTime();
    const v = verifier(await redisUp(), () => new Date(clock));
    for (let i = 0; i < 20; i++) {
      expect((await v.verify(created.key)).status).toBe("valid");
      clock += 1_000;
    }
    await flushLastUsed(); // written off the request path, in a batch
    const row = await w.db.withTenant({ orgId: w.orgId }, (tx) =>
      tx.orgApiKey.findUniqueOrThrow({ where: { id: created.apiKey.id }, select: { lastUsedAt: true } }),
    );
    expect(row.lastUsedAt?.toISOString()).toBe(first.toISOString());
  });

  it("writes the last use of keys of several organizations in one batch, each in its own organization only", async () => {
    const at = new Date("2031-02-03T04:05:06.789Z");
    const v = verifier(await redisUp(), () => at);
    const other = await orgKey();
    const mine = await newKey();
    expect((await v.verify(mine)).status).toBe("valid");
    expect((await v.verify(other.key)).status).toBe("valid");
    await flushLastUsed();
    const { rows } = await admin.query<{ organization_id: string; last_used_at: Date | null }>(
      "SELECT organization_id, last_used_at FROM org_api_keys WHERE organization_id = ANY($1::uuid[]) AND last_used_at = $2",
      [[w.orgId, other.orgId], at],
    );
    expect(rows.map((r) => r.organization_id).sort()).toEqual([w.orgId, other.orgId].sort());
    // Nothing else was touched: no other key of these organizations carries that instant.
    expect(rows).toHaveLength(2);
  });
});

/** A key of a new organization (its own time zone), with the given monthly quota. */
async function orgKey(options: { timezone?: string; monthlyQuota?: number } = {}) {
  const { org, owner: o } = await createOrg(testDb.db);
  if (options.timezone) await admin.query("UPDATE organizations SET timezone = $1 WHERE id = $2", [options.timezone, org.id]);
  const access = { kind: "member" as const, memberId: o.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
  const { key } = await issueApiKey(
    testDb.db,
    { userId: o.user.id, access },
    { orgId: org.id, name: "svc", scopes: ["team:read"], monthlyQuota: options.monthlyQuota },
  );
  return { orgId: org.id, key };
}

describe("verifyApiKey: deleted organizations and the monthly quota", () => {
  it("answers org_deleted for a key of a deleted organization, and valid again once it is restored", async () => {
    const store = await redisUp();
    const v = verifier(store);
    const { orgId, key } = await orgKey();
    expect((await v.verify(key)).status).toBe("valid");
    await admin.query("UPDATE organizations SET status = 'deleted', deleted_at = now() WHERE id = $1", [orgId]);
    await forgetApiKey(store, key);
    expect(await v.verify(key)).toEqual({ status: "org_deleted" });
    expect(await authenticateApiKey(testDb.db, key)).toBeNull();
    // A suspended organization's keys stay hidden, as before.
    await admin.query("UPDATE organizations SET status = 'suspended', deleted_at = null WHERE id = $1", [orgId]);
    await forgetApiKey(store, key);
    expect(await v.verify(key)).toEqual({ status: "not_found" });
    await admin.query("UPDATE organizations SET status = 'active', deleted_at = null WHERE id = $1", [orgId]);
    // The cached answer stands until it is dropped (restoreOrganization drops it) or expires.
    expect(await v.verify(key)).toEqual({ status: "not_found" });
    await forgetApiKey(store, key);
    expect((await v.verify(key)).status).toBe("valid");
    expect(await authenticateApiKey(testDb.db, key)).toMatchObject({ kind: "api_key", orgId });
  });

  it("lets exactly N requests through in a month, then answers quota_exceeded until the next month starts", async () => {
    const n = 3;
    const { key } = await orgKey({ monthlyQuota: n });
    let clock = new Date("2031-06-15T12:00:00Z").getTime();
    const a = verifier(await redisUp(), () => new Date(clock));
    const b = verifier(await redisUp(), () => new Date(clock));
    const results = await Promise.all(Array.from({ length: 3 * n }, (_, i) => (i % 2 ? a : b).verify(key)));
    expect(results.filter((r) => r.status === "valid")).toHaveLength(n);
    const refused = results.filter((r) => r.status === "quota_exceeded");
    expect(refused).toHaveLength(2 * n);
    const untilJuly = (Date.parse("2031-07-01T00:00:00Z") - clock) / 1000;
    for (const r of refused) expect(r).toEqual({ status: "quota_exceeded", retryAfterSeconds: untilJuly });
    clock = Date.parse("2031-06-30T23:59:59Z");
    expect(await a.verify(key)).toEqual({ status: "quota_exceeded", retryAfterSeconds: 1 });
    clock = Date.parse("2031-07-01T00:00:00Z");
    expect((await a.verify(key)).status).toBe("valid");
  });

  it("starts the month at local midnight of the 1st in a zone ahead of UTC (Asia/Tokyo)", async () => {
    const { key } = await orgKey({ timezone: "Asia/Tokyo", monthlyQuota: 1 });
    // 2031-01-31T23:59:59 in Tokyo.
    let clock = Date.parse("2031-01-31T14:59:59Z");
    const v = verifier(await redisUp(), () => new Date(clock));
    expect((await v.verify(key)).status).toBe("valid");
    expect(await v.verify(key)).toEqual({ status: "quota_exceeded", retryAfterSeconds: 1 });
    // Midnight in Tokyo, still January 31st in UTC: a new month.
    clock = Date.parse("2031-01-31T15:00:00Z");
    expect((await v.verify(key)).status).toBe("valid");
    expect(await v.verify(key)).toEqual({
      status: "quota_exceeded",
      retryAfterSeconds: (Date.parse("2031-02-28T15:00:00Z") - clock) / 1000,
    });
  });

  it("starts the month at local midnight of the 1st in a zone behind UTC (America/Los_Angeles)", async () => {
    const { key } = await orgKey({ timezone: "America/Los_Angeles", monthlyQuota: 1 });
    // February 1st in UTC, still January 31st (23:59:59 PST) in Los Angeles: the same month.
    let clock = Date.parse("2031-02-01T07:59:59Z");
    const v = verifier(await redisUp(), () => new Date(clock));
    expect((await v.verify(key)).status).toBe("valid");
    expect(await v.verify(key)).toEqual({ status: "quota_exceeded", retryAfterSeconds: 1 });
    clock = Date.parse("2031-02-01T08:00:00Z");
    expect((await v.verify(key)).status).toBe("valid");
    expect((await v.verify(key)).status).toBe("quota_exceeded");
  });
});
