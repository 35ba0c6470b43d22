import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInnerContext } from "./context.js";
import { createCaller } from "./root.js";
import { resolveSession, verifyCredentials } from "./services/accounts/accounts.js";
import { createMemoryStore, type Store } from "./store/index.js";
import { createMailbox } from "./testing/mailbox.js";

let testDb: TestDatabase;
let store: Store;
beforeAll(async () => {
  testDb = await createTestDatabase();
  store = createMemoryStore();
});
afterAll(() => testDb.drop());

let ipCounter = 0;
/** Each test its own client address, so per-IP limits only bite where a test wants them to. */
const anonymous = (ip = `192.0.2.${++ipCounter}`) => createCaller(createInnerContext({ db: testDb.db, store, ip }));
const signedIn = (userId: string) =>
  createCaller(createInnerContext({ db: testDb.db, store, identity: { kind: "user", userId }, ip: `198.51.100.${++ipCounter}` }));
const uniqueEmail = () => `person-${crypto.randomUUID()}@example.test`;
const mailbox = createMailbox();

async function latestLink(email: string, path: string): Promise<string> {
  const mail = await mailbox.latest(testDb.db, email);
  const match = new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match?.[1]) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[1];
}

async function signUp(email = uniqueEmail(), password = "first-password-1") {
  await anonymous().account.signUp({ email, password, name: "Test Person" });
  const user = await testDb.db.prisma.user.findUniqueOrThrow({ where: { email } });
  return { email, password, userId: user.id };
}

describe("sign up and email verification", () => {
  it("stores the email lower-cased, never the password, and verifies with a single-use link", async () => {
    const email = uniqueEmail();
    await anonymous().account.signUp({ email: `  ${email.toUpperCase()} `, password: "first-password-1", name: "Test Person" });
    const user = await testDb.db.prisma.user.findUniqueOrThrow({ where: { email } });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.emailVerifiedAt).toBeNull();

    const token = await latestLink(email, "/verify-email");
    await expect(anonymous().account.verifyEmail({ token })).resolves.toEqual({ status: "email_verified" });
    expect((await testDb.db.prisma.user.findUniqueOrThrow({ where: { email } })).emailVerifiedAt).not.toBeNull();
    await expect(anonymous().account.verifyEmail({ token })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("password reset", () => {
  it("works once, ends every existing session, and the old password stops working", async () => {
    const { email, userId } = await signUp();
    const sessionStart = Date.now() - 1;
    expect(await resolveSession(testDb.db, { userId, authTime: sessionStart })).toEqual({ userId });

    await anonymous().account.requestPasswordReset({ email });
    const token = await latestLink(email, "/reset-password");
    await anonymous().account.resetPassword({ token, password: "second-password-2" });

    await expect(anonymous().account.resetPassword({ token, password: "third-password-3" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await resolveSession(testDb.db, { userId, authTime: sessionStart })).toBeNull();
    const deps = { db: testDb.db, store, ip: "203.0.113.1" };
    expect(await verifyCredentials(deps, { email, password: "first-password-1" })).toBeNull();
    expect(await verifyCredentials(deps, { email, password: "second-password-2" })).toEqual({ userId });
  });

  it("refuses an expired link", async () => {
    const { email } = await signUp();
    await anonymous().account.requestPasswordReset({ email });
    const token = await latestLink(email, "/reset-password");
    await testDb.db.prisma.authToken.updateMany({
      where: { user: { email }, purpose: "password_reset" },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    await expect(anonymous().account.resetPassword({ token, password: "second-password-2" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/invalid or has expired/),
    });
  });

  it("lets two simultaneous uses of one link succeed once", async () => {
    const { email } = await signUp();
    await anonymous().account.requestPasswordReset({ email });
    const token = await latestLink(email, "/reset-password");
    const results = await Promise.allSettled([
      anonymous().account.resetPassword({ token, password: "racer-password-a" }),
      anonymous().account.resetPassword({ token, password: "racer-password-b" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });
});

describe("sessions", () => {
  it("sign out everywhere cuts off an existing session; a later sign-in works", async () => {
    const { userId } = await signUp();
    const before = Date.now() - 1;
    await signedIn(userId).account.signOutEverywhere();
    expect(await resolveSession(testDb.db, { userId, authTime: before })).toBeNull();
    expect(await resolveSession(testDb.db, { userId, authTime: Date.now() + 1 })).toEqual({ userId });
  });

  it("changing the password needs the current one and ends other sessions", async () => {
    const { userId, password } = await signUp();
    const before = Date.now() - 1;
    await expect(
      signedIn(userId).account.changePassword({ currentPassword: "not-it-at-all", newPassword: "new-password-9" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await signedIn(userId).account.changePassword({ currentPassword: password, newPassword: "new-password-9" });
    expect(await resolveSession(testDb.db, { userId, authTime: before })).toBeNull();
  });
});

describe("rate limits and account enumeration", () => {
  it("limits sign-in attempts per email, whatever the address", async () => {
    const { email } = await signUp();
    const attempts = [];
    for (let i = 0; i < 12; i++) {
      attempts.push(
        await verifyCredentials({ db: testDb.db, store, ip: `203.0.113.${100 + i}` }, { email, password: "wrong-password" }).catch(
          (e) => e.code,
        ),
      );
    }
    expect(attempts.slice(0, 10)).toEqual(Array(10).fill(null));
    expect(attempts.slice(10)).toEqual(["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
  });

  it("limits sign-in attempts per IP across emails", async () => {
    const outcomes = [];
    for (let i = 0; i < 32; i++) {
      outcomes.push(
        await verifyCredentials({ db: testDb.db, store, ip: "203.0.113.250" }, { email: uniqueEmail(), password: "x" }).catch(
          (e) => e.code,
        ),
      );
    }
    expect(outcomes.filter((o) => o === "TOO_MANY_REQUESTS").length).toBe(2);
  });

  it("answers sign-up and reset requests the same whether or not the email has an account", async () => {
    const { email } = await signUp();
    const fresh = uniqueEmail();
    expect(await anonymous().account.signUp({ email, password: "some-password-1", name: "Again" })).toEqual(
      await anonymous().account.signUp({ email: fresh, password: "some-password-1", name: "New" }),
    );
    expect(await anonymous().account.requestPasswordReset({ email })).toEqual(
      await anonymous().account.requestPasswordReset({ email: uniqueEmail() }),
    );
    // The existing account's owner is told by mail instead; no second account appears.
    const mail = await mailbox.latest(testDb.db, email, /already exists/);
    expect(mail.subject).toBe("Someone tried to sign up with your email");
    expect(await testDb.db.prisma.user.count({ where: { email } })).toBe(1);
    // Wrong password and unknown email look the same to the caller.
    const deps = { db: testDb.db, store, ip: "203.0.113.9" };
    expect(await verifyCredentials(deps, { email, password: "wrong-password" })).toBeNull();
    expect(await verifyCredentials(deps, { email: uniqueEmail(), password: "wrong-password" })).toBeNull();
  });
});
