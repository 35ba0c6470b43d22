import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { loadMemberAccess } from "./services/access/member-access.js";
import { createRedisStore, orgKey, type Store } from "./store/index.js";
import { startRedisProxy } from "./testing/redis-proxy.js";
import { addMember, contextFor, createWorld, type World } from "./testing/world.js";

/** Times every store call, so a test can say how long requests waited for Redis. */
function timed(store: Store): Store & { slowestMs: () => number; calls: () => number; reset: () => void } {
  let slowest = 0;
  let count = 0;
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      count += 1;
      try {
        return await fn(...args);
      } finally {
        slowest = Math.max(slowest, performance.now() - started);
      }
    };
  return {
    kind: store.kind,
    get: wrap(store.get),
    set: wrap(store.set),
    del: wrap(store.del),
    hit: wrap(store.hit),
    bump: wrap(store.bump),
    setIfUnchanged: wrap(store.setIfUnchanged),
    close: store.close,
    slowestMs: () => slowest,
    calls: () => count,
    reset: () => {
      slowest = 0;
      count = 0;
    },
  };
}

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

async function worldWithRedis(redisUrl: string) {
  const store = timed(createRedisStore(redisUrl));
  const world = await createWorld(testDb.db, store);
  return { store, world };
}

const explainAs = (world: World, userId: string) =>
  createCaller(contextFor(world, { kind: "user", userId })).permission.explain({
    orgId: world.orgId,
    subject: { userId: world.users.viewer.userId },
    permission: "team:read",
  });

const changeRole = (world: World, memberId: string, role: "admin" | "viewer") =>
  createCaller(contextFor(world, { kind: "user", userId: world.users.owner.userId })).member.updateRole({
    orgId: world.orgId,
    memberId,
    role,
  });

describe("permission cache on Redis", () => {
  it("serves repeated checks from the cache and shows a role change on the very next call", async () => {
    const { store, world } = await worldWithRedis("redis://127.0.0.1:6379");
    const person = await addMember(world, "viewer");
    await expect(explainAs(world, person.userId)).rejects.toMatchObject({ code: "FORBIDDEN" });

    await changeRole(world, person.memberId, "admin");
    await expect(explainAs(world, person.userId)).resolves.toMatchObject({ allowed: true });
    // The answer is now cached in Redis; the demotion must still win immediately.
    const cached = JSON.parse((await store.get(orgKey(world.orgId, "access", "user", person.userId))) ?? "null");
    expect(cached).toMatchObject({ memberId: person.memberId, role: "admin" });
    await changeRole(world, person.memberId, "viewer");
    await expect(explainAs(world, person.userId)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await store.close();
  });

  it("keeps answering correctly from the database when Redis is stopped, never waiting long for it", async () => {
    const proxy = await startRedisProxy();
    const { store, world } = await worldWithRedis(proxy.url);
    const person = await addMember(world, "admin");
    await expect(explainAs(world, person.userId)).resolves.toMatchObject({ allowed: true }); // cached as admin

    await proxy.stop();
    store.reset();
    // Demoted while Redis is down: the stale cache entry must not be used.
    await changeRole(world, person.memberId, "viewer");
    await expect(explainAs(world, person.userId)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await changeRole(world, person.memberId, "admin");
    for (let i = 0; i < 5; i++) await expect(explainAs(world, person.userId)).resolves.toMatchObject({ allowed: true });
    expect(store.calls()).toBeGreaterThan(0);
    expect(store.slowestMs()).toBeLessThan(200);
    await store.close();
  });

  it("falls back just as fast when Redis hangs without answering", async () => {
    const proxy = await startRedisProxy();
    const { store, world } = await worldWithRedis(proxy.url);
    const person = await addMember(world, "viewer");
    await expect(explainAs(world, person.userId)).rejects.toMatchObject({ code: "FORBIDDEN" });

    proxy.blackhole();
    store.reset();
    await changeRole(world, person.memberId, "admin");
    await expect(explainAs(world, person.userId)).resolves.toMatchObject({ allowed: true });
    expect(store.slowestMs()).toBeLessThan(200);
    await store.close();
    await proxy.stop();
  });
});

describe("cache fills racing an invalidation", () => {
  it("does not let a fill that read the database before a change overwrite the change's invalidation", async () => {
    const redis = createRedisStore("redis://127.0.0.1:6379");
    const { world } = await worldWithRedis("redis://127.0.0.1:6379");
    const person = await addMember(world, "admin");
    // A store that, just before the fill writes back, lets a demotion commit and invalidate —
    // the interleaving that would otherwise leave a stale "admin" cached for the whole TTL.
    let raced = false;
    const racing: Store = {
      ...redis,
      async setIfUnchanged(...args) {
        if (!raced) {
          raced = true;
          await changeRole({ ...world, store: redis }, person.memberId, "viewer");
        }
        return redis.setIfUnchanged(...args);
      },
    };
    const stale = await loadMemberAccess({ db: world.db, store: racing }, world.orgId, person.userId);
    expect(stale?.role).toBe("admin"); // what the fill read before the change
    expect(await redis.get(orgKey(world.orgId, "access", "user", person.userId))).toBeNull();
    await expect(explainAs({ ...world, store: redis }, person.userId)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await redis.close();
  });
});
