import { createTestDatabase, type RedisCluster, startRedisCluster, type TestDatabase } from "@aihub/db/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { LocalKeyCache, type VerifyDeps, verifyApiKey } from "./services/api-keys/verify-api-key.js";
import { createRedisStore, type Store } from "./store/index.js";
import { asUser, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * The store on a Redis Cluster of three masters started by this test: rate limits and quotas
 * (one script over two keys), the key and permission caches with their generations, revocation
 * and idempotency claims all run — every multi-key command stays in one slot by its hash tag, so
 * none fails with CROSSSLOT — and the keys they wrote are spread over the masters.
 */
let cluster: RedisCluster;
let store: Store;
/** Every failed store command (a CROSSSLOT would land here, hidden by the callers' fallbacks). */
const failures: string[] = [];

/** The store with each command's failure recorded before it reaches the caller. */
function recording(inner: Store): Store {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || prop === "close" || prop === "ready") return value;
      return (...args: unknown[]) =>
        (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch((error: unknown) => {
          failures.push(`${String(prop)}: ${error instanceof Error ? error.message : String(error)}`);
          throw error;
        });
    },
  });
}
let testDb: TestDatabase;
let w: World;
beforeAll(async () => {
  cluster = await startRedisCluster();
  store = recording(createRedisStore(cluster.url, { commandTimeoutMs: 1_000 }));
  expect(await store.ready(5_000)).toBe(true);
  testDb = await createTestDatabase();
  w = await createWorld(testDb.db, store);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await testDb?.drop();
  await cluster?.stop();
});

const owner = () => createCaller(asUser(w, "owner"));
const verifier = (): VerifyDeps => ({ db: w.db, store, localCache: new LocalKeyCache() });

describe("the store on a Redis Cluster", () => {
  it("rate limits a key exactly across two verifiers and shows its revocation to both on their next call", async () => {
    const created = await owner().apiKey.create({ orgId: w.orgId, name: "clustered", scopes: ["team:read"], rateLimitPerMinute: 5 });
    const [a, b] = [verifier(), verifier()];
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => verifyApiKey(i % 2 ? a : b, created.key)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === "valid")).toHaveLength(5);
    expect(statuses.filter((s) => s === "rate_limited")).toHaveLength(7);
    await owner().apiKey.revoke({ orgId: w.orgId, apiKeyId: created.apiKey.id });
    expect((await verifyApiKey(a, created.key)).status).toBe("revoked");
    expect((await verifyApiKey(b, created.key)).status).toBe("revoked");
  });

  it("caches a member's access and drops it on a role change; deduplicates an idempotent write", async () => {
    const person = w.users.admin;
    const explain = () =>
      createCaller(contextFor(w, { kind: "user", userId: person.userId })).permission.explain({
        orgId: w.orgId,
        subject: { userId: w.users.viewer.userId },
        permission: "team:read",
      });
    await expect(explain()).resolves.toMatchObject({ allowed: true });
    await expect(explain()).resolves.toMatchObject({ allowed: true });
    await owner().member.updateRole({ orgId: w.orgId, memberId: person.memberId as string, role: "viewer" });
    await expect(explain()).rejects.toMatchObject({ code: "FORBIDDEN" });

    const ctx = { ...contextFor(w, { kind: "user", userId: w.users.owner.userId }), idempotencyKey: "cluster-once" };
    const first = await createCaller(ctx).team.create({ orgId: w.orgId, name: "Clustered team" });
    const again = await createCaller(ctx).team.create({ orgId: w.orgId, name: "Clustered team" });
    expect(again.id).toBe(first.id);
  });

  it("spread what it wrote over the masters", async () => {
    const counts = await Promise.all(
      cluster.ports.map(async (port) => {
        const node = new Redis({ port, host: "127.0.0.1", lazyConnect: true });
        await node.connect();
        const n = await node.dbsize();
        node.disconnect();
        return n;
      }),
    );
    expect(counts.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    // And no command failed: nothing fell back because of the cluster.
    expect(failures).toEqual([]);
  });
});
