import { randomUUID } from "node:crypto";
import { hashPassword } from "@aihub/db";
import { createTestDatabase, createUser, startRedisProxy, type TestDatabase } from "@aihub/db/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createInnerContext, type Identity } from "./context.js";
import { createCaller } from "./root.js";
import { verifyCredentials } from "./services/accounts/accounts.js";
import { createAuthToken } from "./services/accounts/tokens.js";
import { createMemoryStore, createRedisStore, type Store } from "./store/index.js";
import { createInspector, type Inspector } from "./testing/inspector.js";
import { createWorld, type World } from "./testing/world.js";

/**
 * Every rate-limited endpoint, on real Redis and on the in-process store: the limit's attempts
 * go through and are counted in the store with the window's expiry; the next one is refused
 * with TOO_MANY_REQUESTS and does nothing; once the window ends, attempts go through again.
 * Limits are the documented ones (docs/authorization.md, "Rate limits on accounts"; invitations:
 * 50 per inviter per hour, one resend per invitation per minute), written out here.
 */
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let testDb: TestDatabase;
let db: Inspector;
let redis: Redis;
const stores: Store[] = [];
beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await createInspector(testDb.adminUrl);
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  for (const store of stores) await store.close();
  redis?.disconnect();
  await db?.close();
  await testDb.drop();
});

const randomIp = () => `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;
const newEmail = () => `limited-${randomUUID()}@example.test`;
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: { code?: string }) => error.code ?? "THREW",
  );

/** One limited endpoint, one rule: how to make an attempt, and what an allowed attempt changes. */
interface LimitCase {
  name: string;
  limit: number;
  windowSeconds: number;
  /** Fresh subject (ip, email, user…) per store, so runs and stores never share a counter. */
  setup(store: Store): Promise<{
    key: string;
    /** An attempt that counts (its own outcome does not matter while under the limit). */
    attempt(): Promise<unknown>;
    /** Readies what `real` uses (e.g. a fresh valid token), before `probe` reads its state. */
    prepare?(): Promise<void>;
    /** An attempt that would succeed and change something if allowed, with a probe of that change. */
    real(): Promise<unknown>;
    probe(): Promise<unknown>;
  }>;
}

function cases(world: () => World): LimitCase[] {
  const caller = (store: Store, ip: string, identity: Identity | null = null) =>
    createCaller(createInnerContext({ db: testDb.db, store, identity, ip }));
  const token = async (purpose: "password_reset" | "email_verification") => {
    const user = await createUser(testDb.db, { emailVerifiedAt: null });
    return { user, token: await testDb.db.prisma.$transaction((tx) => createAuthToken(tx, user.id, purpose)) };
  };
  const userRow = (id: string) =>
    db.rows("SELECT password_hash, email_verified_at, sessions_valid_after FROM users WHERE id = $1", [id]).then((r) => r[0]);
  const outboxTo = (email: string) => db.value("SELECT count(*)::int FROM email_outbox WHERE to_email = $1", [email]);

  return [
    {
      name: "sign-in per email (10 / 5 min)",
      limit: 10,
      windowSeconds: 300,
      async setup(store) {
        const user = await createUser(testDb.db, { passwordHash: await hashPassword("right-password-1") });
        let answer: unknown;
        return {
          key: `ratelimit:sign-in:email:${user.email}`,
          attempt: () => verifyCredentials({ db: testDb.db, store, ip: randomIp() }, { email: user.email, password: "wrong-password" }),
          real: async () => {
            answer = await verifyCredentials({ db: testDb.db, store, ip: randomIp() }, { email: user.email, password: "right-password-1" });
          },
          probe: async () => answer ?? null,
        };
      },
    },
    {
      name: "sign-in per IP (30 / 5 min)",
      limit: 30,
      windowSeconds: 300,
      async setup(store) {
        const ip = randomIp();
        const user = await createUser(testDb.db, { passwordHash: await hashPassword("right-password-1") });
        let answer: unknown;
        return {
          key: `ratelimit:sign-in:ip:${ip}`,
          attempt: () => verifyCredentials({ db: testDb.db, store, ip }, { email: newEmail(), password: "wrong-password" }),
          real: async () => {
            answer = await verifyCredentials({ db: testDb.db, store, ip }, { email: user.email, password: "right-password-1" });
          },
          probe: async () => answer ?? null,
        };
      },
    },
    {
      name: "sign-up per IP (10 / 10 min)",
      limit: 10,
      windowSeconds: 600,
      async setup(store) {
        const ip = randomIp();
        const email = newEmail();
        return {
          key: `ratelimit:sign-up:ip:${ip}`,
          attempt: () => caller(store, ip).account.signUp({ email: newEmail(), password: "a-long-password", name: "Limited" }),
          real: () => caller(store, ip).account.signUp({ email, password: "a-long-password", name: "Limited" }),
          probe: () => db.value("SELECT count(*)::int FROM users WHERE email = $1", [email]),
        };
      },
    },
    {
      name: "sign-up per address (5 / 10 min)",
      limit: 5,
      windowSeconds: 600,
      async setup(store) {
        const email = newEmail();
        return {
          key: `ratelimit:account-email:email:${email}`,
          // The first attempt creates the account; later ones only mail its owner.
          attempt: () => caller(store, randomIp()).account.signUp({ email, password: "a-long-password", name: "Limited" }),
          real: () => caller(store, randomIp()).account.signUp({ email, password: "a-long-password", name: "Limited" }),
          probe: () => outboxTo(email),
        };
      },
    },
    {
      name: "password reset request per address (5 / 10 min)",
      limit: 5,
      windowSeconds: 600,
      async setup(store) {
        const user = await createUser(testDb.db);
        return {
          key: `ratelimit:account-email:email:${user.email}`,
          attempt: () => caller(store, randomIp()).account.requestPasswordReset({ email: user.email }),
          real: () => caller(store, randomIp()).account.requestPasswordReset({ email: user.email }),
          probe: () => db.value("SELECT count(*)::int FROM auth_tokens WHERE user_id = $1", [user.id]),
        };
      },
    },
    {
      name: "password reset request per IP (20 / 10 min)",
      limit: 20,
      windowSeconds: 600,
      async setup(store) {
        const ip = randomIp();
        const user = await createUser(testDb.db);
        return {
          key: `ratelimit:account-email:ip:${ip}`,
          attempt: () => caller(store, ip).account.requestPasswordReset({ email: newEmail() }),
          real: () => caller(store, ip).account.requestPasswordReset({ email: user.email }),
          probe: () => db.value("SELECT count(*)::int FROM auth_tokens WHERE user_id = $1", [user.id]),
        };
      },
    },
    {
      name: "password reset per IP (30 / 10 min)",
      limit: 30,
      windowSeconds: 600,
      async setup(store) {
        const ip = randomIp();
        let current = await token("password_reset");
        return {
          key: `ratelimit:account-token:ip:${ip}`,
          attempt: () => caller(store, ip).account.resetPassword({ token: "x".repeat(43), password: "another-long-password" }),
          prepare: async () => {
            current = await token("password_reset");
          },
          real: () => caller(store, ip).account.resetPassword({ token: current.token, password: "another-long-password" }),
          probe: () => userRow(current.user.id),
        };
      },
    },
    {
      name: "email verification per IP (30 / 10 min)",
      limit: 30,
      windowSeconds: 600,
      async setup(store) {
        const ip = randomIp();
        let current = await token("email_verification");
        return {
          key: `ratelimit:account-token:ip:${ip}`,
          attempt: () => caller(store, ip).account.verifyEmail({ token: "x".repeat(43) }),
          prepare: async () => {
            current = await token("email_verification");
          },
          real: () => caller(store, ip).account.verifyEmail({ token: current.token }),
          probe: () => userRow(current.user.id),
        };
      },
    },
    {
      name: "verification mail per address (5 / 10 min)",
      limit: 5,
      windowSeconds: 600,
      async setup(store) {
        const user = await createUser(testDb.db, { emailVerifiedAt: null });
        const me = () => caller(store, randomIp(), { kind: "user", userId: user.id });
        return {
          key: `ratelimit:account-email:email:${user.email}`,
          attempt: () => me().account.requestEmailVerification(),
          real: () => me().account.requestEmailVerification(),
          probe: () => outboxTo(user.email),
        };
      },
    },
    {
      name: "password change per user (10 / 5 min)",
      limit: 10,
      windowSeconds: 300,
      async setup(store) {
        const user = await createUser(testDb.db, { passwordHash: await hashPassword("current-password-1") });
        const me = () => caller(store, randomIp(), { kind: "user", userId: user.id });
        return {
          key: `ratelimit:sign-in:email:user:${user.id}`,
          attempt: () => me().account.changePassword({ currentPassword: "wrong-password-1", newPassword: "new-password-123" }),
          real: () => me().account.changePassword({ currentPassword: "current-password-1", newPassword: `new-password-${randomUUID()}` }),
          probe: () => userRow(user.id),
        };
      },
    },
    {
      name: "invitations per inviter (50 / hour)",
      limit: 50,
      windowSeconds: 3_600,
      async setup(store) {
        const w = world();
        const { userId } = await addVerifiedAdmin(w);
        const me = () => caller(store, randomIp(), { kind: "user", userId });
        const email = newEmail();
        return {
          key: `ratelimit:invitation:inviter:${userId}`,
          attempt: () => me().invitation.create({ orgId: w.orgId, email: newEmail(), role: "viewer" }),
          real: () => me().invitation.create({ orgId: w.orgId, email, role: "viewer" }),
          probe: () => db.value("SELECT count(*)::int FROM invitations WHERE email = $1", [email]),
        };
      },
    },
    {
      name: "resends per invitation (1 / minute)",
      limit: 1,
      windowSeconds: 60,
      async setup(store) {
        const w = world();
        const me = () => caller(store, randomIp(), { kind: "user", userId: w.users.owner.userId });
        const { invitation } = await me().invitation.create({ orgId: w.orgId, email: newEmail(), role: "viewer" });
        return {
          key: `ratelimit:invitation:resend:${invitation.id}`,
          attempt: () => me().invitation.resend({ orgId: w.orgId, invitationId: invitation.id }),
          real: () => me().invitation.resend({ orgId: w.orgId, invitationId: invitation.id }),
          probe: () => db.value("SELECT token_hash FROM invitations WHERE id = $1", [invitation.id]),
        };
      },
    },
  ];
}

async function addVerifiedAdmin(w: World) {
  const user = await createUser(testDb.db);
  await w.db.withTenant({ orgId: w.orgId }, (tx) =>
    tx.member.create({ data: { organizationId: w.orgId, userId: user.id, role: "admin" } }),
  );
  return { userId: user.id };
}

/** Reads a counter and its remaining window, and ends the window, in each kind of store. */
const STORES = {
  redis: {
    create: () => createRedisStore(REDIS_URL, { commandTimeoutMs: 1_000 }),
    count: async (_store: Store, key: string) => Number(await redis.get(key)),
    ttlSeconds: (key: string) => redis.ttl(key),
    endWindow: async (key: string) => {
      await redis.pexpire(key, 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
    },
  },
  memory: {
    create: () => createMemoryStore(),
    count: async (store: Store, key: string) => Number(await store.get(key)),
    ttlSeconds: async () => null,
    endWindow: async () => {},
  },
};

describe.each(Object.keys(STORES) as (keyof typeof STORES)[])("rate limits on the %s store", (kind) => {
  const harness = STORES[kind];
  let store: Store;
  let world: World;
  beforeAll(async () => {
    store = harness.create();
    stores.push(store);
    world = await createWorld(testDb.db, store);
  });

  it.each(cases(() => world))("$name", async ({ limit, windowSeconds, setup }) => {
    const { key, attempt, prepare, real, probe } = await setup(store);
    for (let i = 0; i < limit; i++) expect(await codeOf(attempt()), `attempt ${i + 1}`).not.toBe("TOO_MANY_REQUESTS");
    expect(await harness.count(store, key), "every attempt is counted").toBe(limit);
    const ttl = await harness.ttlSeconds(key);
    if (ttl !== null) {
      expect(ttl, "the window expires").toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(windowSeconds);
    }

    await prepare?.();
    const before = await probe();
    const refused = real();
    await expect(refused).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await probe(), "the refused attempt changed nothing").toEqual(before);
    expect(await harness.count(store, key)).toBe(limit + 1);

    // The window ends: attempts go through again.
    if (kind === "memory") {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + windowSeconds * 1000 + 1_000);
    }
    try {
      await harness.endWindow(key);
      await prepare?.();
      const unchanged = await probe();
      await real();
      expect(await probe(), "the attempt after the window changed something").not.toEqual(unchanged);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("rate limits with Redis unreachable", () => {
  it("still apply, counted in the process", async () => {
    const proxy = await startRedisProxy();
    const store = createRedisStore(proxy.url);
    stores.push(store);
    await proxy.stop();
    const ip = randomIp();
    const signUp = (email: string) =>
      createCaller(createInnerContext({ db: testDb.db, store, identity: null, ip })).account.signUp({
        email,
        password: "a-long-password",
        name: "Offline",
      });
    for (let i = 0; i < 10; i++) await signUp(newEmail());
    const email = newEmail();
    await expect(signUp(email)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await db.value("SELECT count(*)::int FROM users WHERE email = $1", [email])).toBe(0);
  });
});
