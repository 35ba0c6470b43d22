import { createTestDatabase, startRedisProxy, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { loadMemberAccess } from "./services/access/member-access.js";
import { createRedisStore, orgKey, type Store } from "./store/index.js";
import { addMember, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * Records how every store call ended, so a test can say that requests fell back because the
 * store gave up at once (no offline queue, a command timeout) rather than by how long they
 * took: wall-clock limits fail on a loaded machine and pass on a slow fallback; latency
 * belongs in the benchmark.
 */
function recorded(store: Store): Store & { outcomes: () => string[]; reset: () => void } {
  let outcomes: string[] = [];
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        const result = await fn(...args);
        outcomes.push("ok");
        return result;
      } catch (error) {
        outcomes.push((error as Error).message);
        throw error;
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
    rateLimit: wrap(store.rateLimit),
    countInPeriod: wrap(store.countInPeriod),
    ready: store.ready,
    close: store.close,
    outcomes: () => outcomes,
    reset: () => {
      outcomes = [];
    },
  };
}

/** How a call to an unreachable Redis ends when it is not waited for: refused at once (no offline queue) or cut by the command timeout. */
const GAVE_UP_AT_ONCE = /enableOfflineQueue|Stream isn't writeable|Connection is closed|Command timed out|circuit open/;

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

async function worldWithRedis(redisUrl: string) {
  const store = recorded(createRedisStore(redisUrl));
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

  it("keeps answering correctly from the database when Redis is stopped, giving up on Redis at once", async () => {
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
    // Every request asked Redis, every call failed fast, and none was retried into a queue.
    const outcomes = store.outcomes();
    expect(outcomes.length).toBeGreaterThanOrEqual(7);
    expect(outcomes.filter((o) => !GAVE_UP_AT_ONCE.test(o))).toEqual([]);
    // Only a call already sent on the dying connection waits for its timeout; later ones are refused at once.
    expect(outcomes.filter((o) => /timed out/.test(o)).length).toBeLessThanOrEqual(2);
    await store.close();
  });

  it("falls back the same way when Redis hangs without answering: the command timeout ends each call", async () => {
    const proxy = await startRedisProxy();
    const { store, world } = await worldWithRedis(proxy.url);
    const person = await addMember(world, "viewer");
    await expect(explainAs(world, person.userId)).rejects.toMatchObject({ code: "FORBIDDEN" });

    proxy.blackhole();
    store.reset();
    await changeRole(world, person.memberId, "admin");
    await expect(explainAs(world, person.userId)).resolves.toMatchObject({ allowed: true });
    const outcomes = store.outcomes();
    expect(outcomes.length).toBeGreaterThanOrEqual(2);
    expect(outcomes.filter((o) => !GAVE_UP_AT_ONCE.test(o))).toEqual([]);
    // Only a call already sent on the dying connection waits for its timeout; later ones are refused at once.
    expect(outcomes.filter((o) => /timed out/.test(o)).length).toBeLessThanOrEqual(2);
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
