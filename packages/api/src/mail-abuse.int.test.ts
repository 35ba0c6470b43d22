import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createInnerContext } from "./context.js";
import { createCaller } from "./root.js";
import { createConsoleSender, mayPrintLinks } from "./services/accounts/email.js";
import { deliverOutbox, OUTBOX_RETENTION_DAYS, purgeOutbox } from "./services/accounts/outbox.js";
import { invitationLimits } from "./services/invitations/limits.js";
import { createMemoryStore, type Store } from "./store/index.js";
import { createMailbox } from "./testing/mailbox.js";
import { BOTH_STORES } from "./testing/stores.js";
import { addMember, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * Invitation mail goes to addresses someone typed, and mail bodies hold live links: who may
 * cause mail, how much, what user text can do inside it, and how long links stay readable.
 */
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const as = (world: World, userId: string) => createCaller(contextFor(world, { kind: "user", userId }));
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error) => (error instanceof TRPCError ? error.code : `THREW ${String(error)}`),
  );
const email = () => `invitee-${crypto.randomUUID()}@example.test`;
const invitationsTo = (world: World, address: string) =>
  testDb.db.withTenant({ orgId: world.orgId }, (tx) => tx.invitation.count({ where: { email: address } }));
const mailTo = (address: string) => testDb.db.prisma.emailOutbox.count({ where: { toEmail: address } });

describe("invitation limits", () => {
  it("defaults to 50 per inviter per hour, 200 per org per day and one resend per invitation per minute", () => {
    const limits = invitationLimits({});
    expect([limits.perInviter.limit, limits.perInviter.windowSeconds]).toEqual([50, 3_600]);
    expect([limits.perOrg.limit, limits.perOrg.windowSeconds]).toEqual([200, 86_400]);
    expect([limits.resendPerInvitation.limit, limits.resendPerInvitation.windowSeconds]).toEqual([1, 60]);
  });

  it("reads each limit from the environment, ignoring nonsense", () => {
    const limits = invitationLimits({
      INVITATIONS_PER_INVITER_PER_HOUR: "7",
      INVITATIONS_PER_ORG_PER_DAY: "-3",
      INVITATION_RESENDS_PER_MINUTE: "lots",
    });
    expect([limits.perInviter.limit, limits.perOrg.limit, limits.resendPerInvitation.limit]).toEqual([7, 200, 1]);
  });
});

describe.each(BOTH_STORES)("who may send invitation mail, %s", (_name, makeStore) => {
  let store: Store;
  let world: World;
  beforeAll(async () => {
    store = makeStore();
    world = await createWorld(testDb.db, store);
  });
  afterAll(() => store.close());

  it("needs the inviter's own verified email, to create and to resend", async () => {
    const admin = await addMember(world, "admin");
    const pending = await as(world, admin.userId).invitation.create({ orgId: world.orgId, email: email(), role: "viewer" });
    await testDb.db.prisma.user.update({ where: { id: admin.userId }, data: { emailVerifiedAt: null } });

    const address = email();
    expect(await codeOf(as(world, admin.userId).invitation.create({ orgId: world.orgId, email: address }))).toBe("PRECONDITION_FAILED");
    expect(await invitationsTo(world, address)).toBe(0);
    expect(await mailTo(address)).toBe(0);

    const mailsBefore = await mailTo(pending.invitation.email);
    const resend = as(world, admin.userId).invitation.resend({ orgId: world.orgId, invitationId: pending.invitation.id });
    expect(await codeOf(resend)).toBe("PRECONDITION_FAILED");
    expect(await mailTo(pending.invitation.email)).toBe(mailsBefore);
  });

  it("stops an inviter at their hourly limit, sending nothing more", async () => {
    vi.stubEnv("INVITATIONS_PER_INVITER_PER_HOUR", "3");
    const admin = await addMember(world, "admin");
    for (let i = 0; i < 3; i++) {
      expect(await codeOf(as(world, admin.userId).invitation.create({ orgId: world.orgId, email: email() }))).toBe("ok");
    }
    const refused = email();
    expect(await codeOf(as(world, admin.userId).invitation.create({ orgId: world.orgId, email: refused }))).toBe("TOO_MANY_REQUESTS");
    expect(await invitationsTo(world, refused)).toBe(0);
    expect(await mailTo(refused)).toBe(0);
    // Another inviter of the same org is not held back by it.
    expect(await codeOf(as(world, world.users.admin.userId).invitation.create({ orgId: world.orgId, email: email() }))).toBe("ok");
  });

  it("stops an organization at its daily limit, whoever invites", async () => {
    vi.stubEnv("INVITATIONS_PER_ORG_PER_DAY", "4");
    const own = await createWorld(testDb.db, store);
    const inviters = [own.users.owner.userId, own.users.admin.userId];
    for (let i = 0; i < 4; i++) {
      expect(await codeOf(as(own, inviters[i % 2] as string).invitation.create({ orgId: own.orgId, email: email() }))).toBe("ok");
    }
    const refused = email();
    expect(await codeOf(as(own, own.users.owner.userId).invitation.create({ orgId: own.orgId, email: refused }))).toBe("TOO_MANY_REQUESTS");
    expect(await invitationsTo(own, refused)).toBe(0);
    // Another org has its own allowance.
    const other = await createWorld(testDb.db, store);
    expect(await codeOf(as(other, other.users.owner.userId).invitation.create({ orgId: other.orgId, email: email() }))).toBe("ok");
  });

  it("resends one invitation at most once a minute; the refused resend keeps the current link", async () => {
    const { invitation } = await as(world, world.users.owner.userId).invitation.create({ orgId: world.orgId, email: email() });
    const resend = () => as(world, world.users.owner.userId).invitation.resend({ orgId: world.orgId, invitationId: invitation.id });
    expect(await codeOf(resend())).toBe("ok");
    const hashAfterResend = await testDb.db.withTenant({ orgId: world.orgId }, (tx) =>
      tx.invitation.findUniqueOrThrow({ where: { id: invitation.id }, select: { tokenHash: true } }),
    );
    const mails = await mailTo(invitation.email);
    expect(await codeOf(resend())).toBe("TOO_MANY_REQUESTS");
    expect(await mailTo(invitation.email)).toBe(mails);
    const hashNow = await testDb.db.withTenant({ orgId: world.orgId }, (tx) =>
      tx.invitation.findUniqueOrThrow({ where: { id: invitation.id }, select: { tokenHash: true } }),
    );
    expect(hashNow).toEqual(hashAfterResend);
  });
});

describe("names inside mail", () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld(testDb.db, createMemoryStore());
  });

  it.each([
    ["a newline", "Acme\nBcc: victim@example.test"],
    ["a carriage return", "Acme\rRobotics"],
    ["a tab", "Acme\tRobotics"],
    ["a Unicode line separator", "Acme\u2028Robotics"],
    ["a right-to-left override", "Acme\u202Egnp.exe"],
    ["a NUL", "Ac\u0000me"],
  ])("refuses %s in organization, team and person names, and stores nothing", async (_what, name) => {
    const owner = as(world, world.users.owner.userId);
    const slug = `org-${crypto.randomUUID().slice(0, 8)}`;
    expect(await codeOf(owner.organization.create({ name, slug }))).toBe("BAD_REQUEST");
    expect(await testDb.db.prisma.organization.count({ where: { slug } })).toBe(0);
    const teams = () => testDb.db.withTenant({ orgId: world.orgId }, (tx) => tx.team.count());
    const teamsBefore = await teams();
    expect(await codeOf(owner.team.create({ orgId: world.orgId, name }))).toBe("BAD_REQUEST");
    expect(await teams()).toBe(teamsBefore);
    const address = email();
    const anonymous = createCaller(createInnerContext({ db: testDb.db, store: createMemoryStore(), ip: "192.0.2.77" }));
    expect(await codeOf(anonymous.account.signUp({ email: address, password: "long-enough-password", name }))).toBe("BAD_REQUEST");
    expect(await testDb.db.prisma.user.count({ where: { email: address } })).toBe(0);
  });

  it("stores names trimmed and in NFC", async () => {
    const team = await as(world, world.users.owner.userId).team.create({ orgId: world.orgId, name: "  Cafe\u0301 Team " });
    expect(team.name).toBe("Caf\u00e9 Team");
  });

  it("quotes an organization name in the subject and keeps it to one line, even one stored before names were checked", async () => {
    const admin = new pg.Client({ connectionString: testDb.adminUrl });
    await admin.connect();
    await admin.query("UPDATE organizations SET name = $1 WHERE id = $2", ["Evil\r\nBcc: all@example.test", world.orgId]);
    await admin.end();
    const address = email();
    await as(world, world.users.owner.userId).invitation.create({ orgId: world.orgId, email: address });
    const mail = await createMailbox().latest(testDb.db, address);
    expect(mail.subject).toBe("You are invited to “Evil Bcc: all@example.test” on AI Hub Enterprise");
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text.split("\n")[0]).toBe("You have been invited to join “Evil Bcc: all@example.test” as member.");
  });
});

describe("links at rest and in logs", () => {
  const queue = (to: string, bodyText = "Open https://console.example/reset-password?token=secret-token-value") =>
    testDb.db.prisma.emailOutbox.create({ data: { toEmail: to, template: "reset_password", subject: "Reset", bodyText } });

  it("clears a message's body once it is delivered, keeping who, what and when", async () => {
    const to = email();
    const row = await queue(to);
    const mailbox = createMailbox();
    await mailbox.collect(testDb.db);
    expect(mailbox.messages.find((m) => m.to === to)?.text).toContain("token=secret-token-value");
    const stored = await testDb.db.prisma.emailOutbox.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored).toMatchObject({ toEmail: to, template: "reset_password", subject: "Reset", bodyText: "", attempts: 1 });
    expect(stored.sentAt).toBeInstanceOf(Date);
  });

  it("clears the body of a message abandoned after its last attempt", async () => {
    const to = email();
    const row = await queue(to);
    const failing = {
      name: "always failing (stands in for a broken SMTP server)",
      async send() {
        throw new Error("mailbox unavailable");
      },
    };
    for (let attempt = 1; attempt <= 5; attempt++) {
      await deliverOutbox(testDb.db, failing, 1000);
      const stored = await testDb.db.prisma.emailOutbox.findUniqueOrThrow({ where: { id: row.id } });
      expect(stored.attempts).toBe(attempt);
      expect(stored.bodyText === "").toBe(attempt === 5);
    }
  });

  it("purges rows older than the retention period and keeps newer ones", async () => {
    const old = await queue(email());
    const recent = await queue(email());
    const now = new Date();
    const dayMs = 24 * 60 * 60 * 1000;
    await testDb.db.prisma.emailOutbox.update({
      where: { id: old.id },
      data: { createdAt: new Date(now.getTime() - (OUTBOX_RETENTION_DAYS + 1) * dayMs) },
    });
    await testDb.db.prisma.emailOutbox.update({
      where: { id: recent.id },
      data: { createdAt: new Date(now.getTime() - (OUTBOX_RETENTION_DAYS - 1) * dayMs) },
    });
    expect(await purgeOutbox(testDb.db, now)).toBe(1);
    expect(await testDb.db.prisma.emailOutbox.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await testDb.db.prisma.emailOutbox.findUnique({ where: { id: recent.id } })).not.toBeNull();
  });

  it("prints links to the log only for the embedded database or in development", async () => {
    expect(mayPrintLinks({ NODE_ENV: "production" })).toBe(false);
    expect(mayPrintLinks({ NODE_ENV: "production", AIHUB_DATABASE_BACKEND: "pglite" })).toBe(true);
    expect(mayPrintLinks({ NODE_ENV: "development" })).toBe(true);

    const printed: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void printed.push(line));
    const message = { to: "a@example.test", subject: "Reset", text: "Choose: https://console.example/reset?token=abc123\nBye" };
    await createConsoleSender({ showLinks: false }).send(message);
    await createConsoleSender({ showLinks: true }).send(message);
    expect(printed[0]).not.toContain("abc123");
    expect(printed[0]).toContain("[link hidden");
    expect(printed[0]).toContain("Bye");
    expect(printed[1]).toContain("https://console.example/reset?token=abc123");
  });
});
