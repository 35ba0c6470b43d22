import { createHmac } from "node:crypto";
import { hashPassword } from "@aihub/db";
import { createTestDatabase, createUser, type TestDatabase } from "@aihub/db/testing";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Identity } from "./context.js";
import { createCaller } from "./root.js";
import { generatePersonalToken } from "./services/api-keys/key-format.js";
import { verifyBearerToken } from "./services/personal-tokens/verify-bearer-token.js";
import {
  forgetPersonalToken,
  LocalTokenCache,
  lookupPersonalTokenRow,
  type PersonalTokenLookup,
  verifyPersonalToken,
} from "./services/personal-tokens/verify-personal-token.js";
import type { Store } from "./store/index.js";
import { BOTH_STORES } from "./testing/stores.js";
import { addMember, apiKeyIdentity, asUser, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * Personal access tokens end to end on real PostgreSQL (and both stores where caching matters):
 * shown once and stored as an HMAC, scopes from the allow-list only, a token acts as its person
 * where allowed and is capped by the person's current access in each organization, and is
 * refused once revoked, expired or its person deleted.
 */
let testDb: TestDatabase;
let admin: pg.Client;
const opened: Store[] = [];
beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  for (const store of opened) await store.close();
  await testDb?.drop();
});

const DAY_MS = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS);
/** The HMAC the spec asks for, computed here independently of key-format.ts. */
const hmac = (token: string) =>
  createHmac("sha256", process.env.API_KEY_SECRET as string)
    .update(token)
    .digest("hex");
const ALLOWED = [
  "org:read",
  "org:update",
  "member:read",
  "member:invite",
  "member:remove",
  "member:update_role",
  "member:update_permissions",
  "team:read",
  "team:create",
  "team:update",
  "team:delete",
  "team:manage_members",
  "budget:read",
  "budget:write",
  "api_key:read",
  "api_key:write",
  "usage:read",
  "usage:write",
  "audit:read",
] as const;

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "ok";
  } catch (error) {
    return error instanceof TRPCError ? error.code : `THREW ${String(error)}`;
  }
}

const row = async (id: string) =>
  (await admin.query("SELECT * FROM personal_access_tokens WHERE id = $1", [id])).rows[0] as Record<string, unknown> | undefined;

describe.each(BOTH_STORES)("personal access tokens with the %s", (_name, makeStore) => {
  let w: World;
  let store: Store;
  beforeAll(async () => {
    store = makeStore();
    opened.push(store);
    w = await createWorld(testDb.db, store);
  });

  /** Creates a token for a world person by their session, then verifies it as the gateway would. */
  async function tokenOf(who: keyof World["users"], scopes: readonly (typeof ALLOWED)[number][], expiresAt = inDays(30)) {
    const created = await createCaller(asUser(w, who)).personalToken.create({ name: `cli ${who}`, scopes: [...scopes], expiresAt });
    const verified = await verifyBearerToken({ db: w.db, store }, created.token);
    expect(verified.status).toBe("valid");
    return { ...created, identity: verified.identity as Identity };
  }
  const as = (identity: Identity) => createCaller(contextFor(w, identity));

  it("shows the token once and stores only its HMAC and a short prefix", async () => {
    const { token, personalToken } = await tokenOf("member", ["org:read"]);
    expect(token).toMatch(/^aihp_live_[0-9A-Za-z]{49}$/);
    const stored = await row(personalToken.id);
    expect(stored?.token_hash).toBe(hmac(token));
    expect(stored?.token_prefix).toBe(token.slice(0, 17));
    expect(stored?.user_id).toBe(w.users.member.userId);
    // No column holds the token itself.
    expect(Object.values(stored ?? {}).map(String)).not.toContain(token);
    const listed = await createCaller(asUser(w, "member")).personalToken.list({});
    const mine = listed.items.find((t) => t.id === personalToken.id);
    expect(mine).toMatchObject({ prefix: token.slice(0, 17), status: "active", scopes: ["org:read"] });
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(JSON.stringify(listed)).not.toContain(hmac(token));
  });

  it("refuses owner-only scopes, a missing expiry and one beyond a year, writing nothing", async () => {
    const caller = createCaller(asUser(w, "owner"));
    const count = async () =>
      Number((await admin.query("SELECT count(*) FROM personal_access_tokens WHERE user_id = $1", [w.users.owner.userId])).rows[0].count);
    const before = await count();
    for (const scopes of [["org:delete"], ["org:read", "org:transfer"], []]) {
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      expect(await codeOf(caller.personalToken.create({ name: "bad", scopes: scopes as any, expiresAt: inDays(30) }))).toBe("BAD_REQUEST");
    }
    // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
    expect(await codeOf(caller.personalToken.create({ name: "no expiry", scopes: ["org:read"] } as any))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.personalToken.create({ name: "too long", scopes: ["org:read"], expiresAt: inDays(366) }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(caller.personalToken.create({ name: "past", scopes: ["org:read"], expiresAt: inDays(-1) }))).toBe("BAD_REQUEST");
    expect(await count()).toBe(before);
    // The database refuses them too, whatever the API lets through.
    await expect(
      admin.query(
        "INSERT INTO personal_access_tokens (user_id, name, token_hash, token_prefix, scopes, expires_at) VALUES ($1, 'x', 'h1', 'p', '{org:delete}', now() + interval '1 day')",
        [w.users.owner.userId],
      ),
    ).rejects.toThrow(/check/);
    await expect(
      admin.query(
        "INSERT INTO personal_access_tokens (user_id, name, token_hash, token_prefix, scopes, expires_at) VALUES ($1, 'x', 'h2', 'p', '{org:read}', now() + interval '2 years')",
        [w.users.owner.userId],
      ),
    ).rejects.toThrow(/personal_access_tokens_expiry_max/);
  });

  it("acts as its person to create an organization and list theirs", async () => {
    const { identity } = await tokenOf("viewer", ["org:read"]);
    const created = await as(identity).organization.create({ name: `Token Org ${Date.now()}` });
    const { rows } = await admin.query("SELECT role::text FROM members WHERE organization_id = $1 AND user_id = $2", [
      created.id,
      w.users.viewer.userId,
    ]);
    expect(rows).toEqual([{ role: "owner" }]);
    const mine = await as(identity).organization.listMine();
    const ids = mine.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([created.id, w.orgId]));
    expect(ids).not.toContain(w.foreignOrgId);
  });

  it("never exceeds its person's role, even with every allowed scope", async () => {
    const { identity } = await tokenOf("member", ALLOWED);
    const t = as(identity);
    expect(await codeOf(t.organization.get({ orgId: w.orgId }))).toBe("ok");
    expect(await codeOf(t.apiKey.list({ orgId: w.orgId }))).toBe("ok"); // api_key:read: the member role has it
    expect(await codeOf(t.organization.update({ orgId: w.orgId, description: "by token" }))).toBe("FORBIDDEN");
    expect(await codeOf(t.team.update({ orgId: w.orgId, teamId: w.targetTeamId, description: "by token" }))).toBe("FORBIDDEN");
    expect(await codeOf(t.invitation.list({ orgId: w.orgId }))).toBe("FORBIDDEN");
    // Another organization is not found, as for the person's session.
    expect(await codeOf(t.organization.get({ orgId: w.foreignOrgId }))).toBe("NOT_FOUND");
    const { rows } = await admin.query("SELECT description FROM organizations WHERE id = $1", [w.orgId]);
    expect(rows[0].description).not.toBe("by token");
  });

  it("holds no more than its scopes, whatever its person holds", async () => {
    const { identity } = await tokenOf("owner", ["org:read"]);
    expect(await codeOf(as(identity).organization.get({ orgId: w.orgId }))).toBe("ok");
    expect(await codeOf(as(identity).member.list({ orgId: w.orgId }))).toBe("FORBIDDEN");
    expect(await codeOf(as(identity).organization.update({ orgId: w.orgId, description: "narrow" }))).toBe("FORBIDDEN");
  });

  it("narrows on the next call when its person is demoted", async () => {
    const person = await addMember(w, "admin");
    const created = await createCaller(contextFor(w, { kind: "user", userId: person.userId })).personalToken.create({
      name: "admin cli",
      scopes: [...ALLOWED],
      expiresAt: inDays(7),
    });
    const identity = (await verifyBearerToken({ db: w.db, store }, created.token)).identity as Identity;
    expect(await codeOf(as(identity).organization.update({ orgId: w.orgId, description: "while admin" }))).toBe("ok");
    await createCaller(asUser(w, "owner")).member.updateRole({ orgId: w.orgId, memberId: person.memberId, role: "viewer" });
    // The same token, verified again (as the next request would be).
    const again = (await verifyBearerToken({ db: w.db, store }, created.token)).identity as Identity;
    expect(await codeOf(as(again).organization.update({ orgId: w.orgId, description: "after demotion" }))).toBe("FORBIDDEN");
    expect(await codeOf(as(again).organization.get({ orgId: w.orgId }))).toBe("ok");
    const { rows } = await admin.query("SELECT description FROM organizations WHERE id = $1", [w.orgId]);
    expect(rows[0].description).toBe("while admin");
  });

  it("never deletes, restores or transfers an organization, nor does what is kept for sessions", async () => {
    const { identity } = await tokenOf("owner", ALLOWED);
    const t = as(identity);
    const admin2 = await addMember(w, "admin");
    expect(await codeOf(t.organization.delete({ orgId: w.orgId, confirmSlug: w.orgSlug }))).toBe("FORBIDDEN");
    expect(await codeOf(t.organization.transferOwnership({ orgId: w.orgId, memberId: admin2.memberId }))).toBe("FORBIDDEN");
    expect(await codeOf(t.member.updateRole({ orgId: w.orgId, memberId: admin2.memberId, role: "member" }))).toBe("FORBIDDEN");
    expect(await codeOf(t.apiKey.create({ orgId: w.orgId, name: "minted", scopes: ["org:read"] }))).toBe("FORBIDDEN");
    expect(await codeOf(t.member.leave({ orgId: w.orgId }))).toBe("FORBIDDEN");
    const { rows } = await admin.query(
      "SELECT o.status::text AS status, m.role::text AS role FROM organizations o JOIN members m ON m.organization_id = o.id WHERE o.id = $1 AND m.id = $2",
      [w.orgId, admin2.memberId],
    );
    expect(rows).toEqual([{ status: "active", role: "admin" }]);
  });

  it("cannot manage tokens, change the password or sign the person out", async () => {
    await w.db.prisma.user.update({
      where: { id: w.users.admin.userId },
      data: { passwordHash: await hashPassword("token-test-password-1") },
    });
    const { identity, personalToken } = await tokenOf("admin", ALLOWED);
    const t = as(identity);
    const userBefore = (await admin.query("SELECT password_hash, sessions_valid_after FROM users WHERE id = $1", [w.users.admin.userId]))
      .rows[0];
    const countBefore = (
      await admin.query("SELECT count(*)::int AS n FROM personal_access_tokens WHERE user_id = $1", [w.users.admin.userId])
    ).rows[0].n;
    expect(await codeOf(t.personalToken.create({ name: "minted", scopes: ["org:read"], expiresAt: inDays(7) }))).toBe("FORBIDDEN");
    expect(await codeOf(t.personalToken.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(t.personalToken.revoke({ tokenId: personalToken.id }))).toBe("FORBIDDEN");
    expect(await codeOf(t.account.changePassword({ currentPassword: "token-test-password-1", newPassword: "token-test-password-2" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(t.account.signOutEverywhere())).toBe("FORBIDDEN");
    expect(await codeOf(t.me.get())).toBe("FORBIDDEN");
    const userAfter = (await admin.query("SELECT password_hash, sessions_valid_after FROM users WHERE id = $1", [w.users.admin.userId]))
      .rows[0];
    expect(userAfter).toEqual(userBefore);
    const countAfter = (
      await admin.query("SELECT count(*)::int AS n FROM personal_access_tokens WHERE user_id = $1", [w.users.admin.userId])
    ).rows[0].n;
    expect(countAfter).toBe(countBefore);
    expect((await row(personalToken.id))?.revoked_at).toBeNull();
  });

  it("is refused once revoked, by this process and by another one on its next request", async () => {
    const { token, personalToken } = await tokenOf("member", ["org:read"]);
    // Another process: its own in-process cache, the same store.
    const other = { db: w.db, store, localCache: new LocalTokenCache() };
    expect((await verifyPersonalToken(other, token)).status).toBe("valid");
    const revoked = await createCaller(asUser(w, "member")).personalToken.revoke({ tokenId: personalToken.id });
    expect(revoked.status).toBe("revoked");
    expect((await row(personalToken.id))?.revoked_at).not.toBeNull();
    expect(await verifyBearerToken({ db: w.db, store }, token)).toEqual({ status: "revoked" });
    expect(await verifyPersonalToken(other, token)).toEqual({ status: "revoked" });
    // Revoking again changes nothing.
    const again = await createCaller(asUser(w, "member")).personalToken.revoke({ tokenId: personalToken.id });
    expect(again.revokedAt).toEqual(revoked.revokedAt);
  });

  it("is refused once expired, and once its person is deleted", async () => {
    const { token, personalToken } = await tokenOf("member", ["org:read"], inDays(1));
    expect((await verifyBearerToken({ db: w.db, store, now: () => inDays(2) }, token)).status).toBe("expired");
    await admin.query("UPDATE personal_access_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [personalToken.id]);
    await forgetPersonalToken(store, token);
    expect(await verifyBearerToken({ db: w.db, store }, token)).toEqual({ status: "expired" });
    const listed = await createCaller(asUser(w, "member")).personalToken.list({});
    expect(listed.items.find((t) => t.id === personalToken.id)?.status).toBe("expired");

    const person = await createUser(w.db);
    const created = await createCaller(contextFor(w, { kind: "user", userId: person.id })).personalToken.create({
      name: "doomed",
      scopes: ["org:read"],
      expiresAt: inDays(7),
    });
    expect((await verifyBearerToken({ db: w.db, store }, created.token)).status).toBe("valid");
    await admin.query("DELETE FROM users WHERE id = $1", [person.id]);
    await forgetPersonalToken(store, created.token);
    expect(await verifyBearerToken({ db: w.db, store }, created.token)).toEqual({ status: "not_found" });
  });

  it("keeps each person's tokens to them (row-level security and the service)", async () => {
    const { personalToken } = await tokenOf("owner", ["org:read"]);
    const seen = await w.db.withTenant({ orgId: null, userId: w.users.admin.userId }, (tx) =>
      tx.personalAccessToken.findMany({ where: { id: personalToken.id } }),
    );
    expect(seen).toEqual([]);
    const asOwner = await w.db.withTenant({ orgId: w.orgId, userId: null }, (tx) =>
      tx.personalAccessToken.findMany({ where: { id: personalToken.id } }),
    );
    expect(asOwner).toEqual([]);
    expect(await codeOf(createCaller(asUser(w, "admin")).personalToken.revoke({ tokenId: personalToken.id }))).toBe("NOT_FOUND");
    const listed = await createCaller(asUser(w, "admin")).personalToken.list({ limit: 100 });
    expect(listed.items.map((t) => t.id)).not.toContain(personalToken.id);
    expect((await row(personalToken.id))?.revoked_at).toBeNull();
  });

  it("writes its last use at most once a minute", async () => {
    const { token, personalToken } = await tokenOf("member", ["org:read"]);
    const first = (await row(personalToken.id))?.last_used_at as Date;
    expect(first).toBeInstanceOf(Date);
    await verifyBearerToken({ db: w.db, store, now: () => inDays(1) }, token);
    expect((await row(personalToken.id))?.last_used_at).toEqual(first);
  });
});

describe("verifyBearerToken", () => {
  it("tells an organization key from a personal token by its prefix, and refuses anything else", async () => {
    const store = BOTH_STORES[0][1]();
    const w = await createWorld(testDb.db, store);
    const keyIdentity = await apiKeyIdentity(w, ["org:read"]);
    expect(keyIdentity.kind).toBe("api_key");
    const created = await createCaller(asUser(w, "owner")).personalToken.create({
      name: "cli",
      scopes: ["org:read"],
      expiresAt: inDays(1),
    });
    const token = await verifyBearerToken({ db: w.db, store }, created.token);
    expect(token.identity).toEqual({
      kind: "personal_token",
      userId: w.users.owner.userId,
      tokenId: created.personalToken.id,
      scopes: ["org:read"],
    });
    expect(await verifyBearerToken({ db: w.db, store }, generatePersonalToken().token)).toEqual({ status: "not_found" });
    expect(await verifyBearerToken({ db: w.db, store }, "Bearer nonsense")).toEqual({ status: "not_found" });
    // A mistyped token is refused by its checksum, with no database lookup.
    let lookups = 0;
    const lookup: PersonalTokenLookup = (db, hash) => {
      lookups += 1;
      return lookupPersonalTokenRow(db, hash);
    };
    const deps = { db: w.db, store, lookup, localCache: new LocalTokenCache() };
    const mistyped = created.token.slice(0, -1) + (created.token.endsWith("a") ? "b" : "a");
    expect(await verifyPersonalToken(deps, mistyped)).toEqual({ status: "not_found" });
    expect(lookups).toBe(0);
    // A cached answer costs no database round trip.
    expect((await verifyPersonalToken(deps, created.token)).status).toBe("valid");
    expect((await verifyPersonalToken(deps, created.token)).status).toBe("valid");
    expect(lookups).toBe(0); // filled by the verification above
  });
});
