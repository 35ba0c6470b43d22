import { createTestDatabase, createUser, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { createMemoryStore } from "./store/index.js";
import { createMailbox } from "./testing/mailbox.js";
import { asUser, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * Account and invitation mail in the recipient's language (`users.locale`): set at sign-up from
 * the page's language, changed with `account.setLocale`; someone without an account gets the
 * inviter's. The expected sentences are written here by hand, in each language.
 */
let testDb: TestDatabase;
let world: World;
let admin: pg.Client;
const mailbox = createMailbox();
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await testDb.drop();
});

const anonymous = () => createCaller(contextFor(world, null));
const as = (userId: string) => createCaller(contextFor(world, { kind: "user", userId }));
const fresh = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
const localeOf = async (email: string) => (await admin.query("SELECT locale FROM users WHERE email = $1", [email])).rows[0]?.locale;

describe("mail in the recipient's language", () => {
  it("signs up in Chinese: the account remembers it and the welcome mail is in Chinese", async () => {
    const email = fresh("zh");
    await anonymous().account.signUp({ email, password: "a-long-password-1", name: "李雷", locale: "zh-CN" });
    expect(await localeOf(email)).toBe("zh-CN");
    const mail = await mailbox.latest(testDb.db, email);
    expect(mail.subject).toBe("验证您在 AI Hub Enterprise 的邮箱");
    expect(mail.text).toContain("欢迎,李雷!");
    expect(mail.text).toContain("/verify-email?token=");
  });

  it("signs up without a language: English", async () => {
    const email = fresh("en");
    await anonymous().account.signUp({ email, password: "a-long-password-1", name: "Ada" });
    expect(await localeOf(email)).toBe("en");
    expect((await mailbox.latest(testDb.db, email)).subject).toBe("Verify your email for AI Hub Enterprise");
  });

  it("a reset mail follows the account's language, whichever page asked; setLocale changes it", async () => {
    const user = await createUser(testDb.db);
    await anonymous().account.requestPasswordReset({ email: user.email });
    expect((await mailbox.latest(testDb.db, user.email)).subject).toBe("Reset your AI Hub Enterprise password");
    expect(await as(user.id).account.setLocale({ locale: "zh-CN" })).toEqual({ locale: "zh-CN" });
    expect(await localeOf(user.email)).toBe("zh-CN");
    await anonymous().account.requestPasswordReset({ email: user.email });
    const mail = await mailbox.latest(testDb.db, user.email, /设置新密码/);
    expect(mail.subject).toBe("重置您的 AI Hub Enterprise 密码");
  });

  it("an attempt to sign up again with a taken address warns the owner in the owner's language", async () => {
    const user = await createUser(testDb.db);
    await admin.query("UPDATE users SET locale = 'zh-CN' WHERE id = $1", [user.id]);
    await anonymous().account.signUp({ email: user.email, password: "a-long-password-1", name: "Someone", locale: "en" });
    expect((await mailbox.latest(testDb.db, user.email)).subject).toBe("有人尝试用您的邮箱注册");
  });

  it("an invitation is in the invitee's language when they have an account, else in the inviter's", async () => {
    const owner = () => createCaller(asUser(world, "owner"));
    const chinese = await createUser(testDb.db);
    await admin.query("UPDATE users SET locale = 'zh-CN' WHERE id = $1", [chinese.id]);
    await owner().invitation.create({ orgId: world.orgId, email: chinese.email, role: "viewer" });
    const toChinese = await mailbox.latest(testDb.db, chinese.email);
    expect(toChinese.subject).toMatch(/^您受邀加入 AI Hub Enterprise 上的 “/);
    expect(toChinese.text).toContain("您受邀以查看者身份加入");

    const stranger = fresh("stranger");
    await owner().invitation.create({ orgId: world.orgId, email: stranger, role: "member" });
    expect((await mailbox.latest(testDb.db, stranger)).text).toContain("as member.");
    await admin.query("UPDATE users SET locale = 'zh-CN' WHERE id = $1", [world.users.owner.userId]);
    const another = fresh("stranger");
    await owner().invitation.create({ orgId: world.orgId, email: another, role: "member" });
    expect((await mailbox.latest(testDb.db, another)).text).toContain("您受邀以成员身份加入");
  });

  it("refuses a language the console does not have, and writes nothing", async () => {
    const user = await createUser(testDb.db);
    await expect(as(user.id).account.setLocale({ locale: "fr" as "en" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await localeOf(user.email)).toBe("en");
  });
});
