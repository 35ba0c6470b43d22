import { randomUUID } from "node:crypto";
import { crc32 } from "node:zlib";
import { createMemoryStore, forgetApiKey, issueApiKey, PERMISSIONS, type Permission } from "@aihub/api";
import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayServer, listen } from "./server.js";

/**
 * Every way a key must stop working at the gateway — revoked, expired (by date and by status),
 * its organization deleted, tampered with — answers 401 and changes nothing, while the same
 * request with a good key goes through (so the refusals are not vacuous).
 */
let testDb: TestDatabase;
let base: string;
let server: ReturnType<typeof createGatewayServer>;
let admin: pg.Client;
const store = createMemoryStore();
beforeAll(async () => {
  testDb = await createTestDatabase();
  server = createGatewayServer({ db: testDb.db, store });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  server.close();
  await admin.end();
  await testDb.drop();
});

const post = (path: string, bearer: string, body: unknown) =>
  fetch(`${base}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ json: body }),
  });

async function orgWithKey(scopes: Permission[] = ["team:create", "team:read"]) {
  const { org, owner, members } = await createOrg(testDb.db, { members: [{ role: "member" }] });
  const ownerAccess = { kind: "member" as const, memberId: owner.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
  const { key, record } = await issueApiKey(
    testDb.db,
    { userId: owner.user.id, access: ownerAccess },
    { orgId: org.id, name: "svc", scopes },
  );
  return { org, key, keyId: record.id, plainMember: members[1]?.member.id as string };
}

/** What a refused call must leave alone: the org's teams and its audit trail. */
const state = async (orgId: string) => ({
  teams: Number((await admin.query("SELECT count(*) FROM teams WHERE organization_id = $1", [orgId])).rows[0].count),
  audit: Number((await admin.query("SELECT count(*) FROM audit_events WHERE organization_id = $1", [orgId])).rows[0].count),
});

/** Creating a team: a mutation with a visible effect. */
const createTeam = (orgId: string, key: string) => post("team.create", key, { orgId, name: `Team ${randomUUID().slice(0, 8)}` });

async function expectRefused(orgId: string, key: string, status = 401) {
  const before = await state(orgId);
  const response = await createTeam(orgId, key);
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: { json: { data: { code: string } } } };
  expect(body.error.json.data.code).toBe(status === 401 ? "UNAUTHORIZED" : status === 404 ? "NOT_FOUND" : "FORBIDDEN");
  expect(await state(orgId)).toEqual(before);
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function base62(value: number, width: number): string {
  let out = "";
  let rest = value;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, "0");
}
/** The key with one character of its secret changed and the checksum made right again: well-formed, but not issued. */
function tamper(key: string): string {
  const match = /^(aih_(?:live|test)_)([0-9A-Za-z]{43})[0-9A-Za-z]{6}$/.exec(key);
  if (!match) throw new Error("not a key");
  const body = match[2] as string;
  const changed = `${body.slice(0, 20)}${body[20] === "a" ? "b" : "a"}${body.slice(21)}`;
  return `${match[1]}${changed}${base62(crc32(changed), 6)}`;
}

describe("API keys at the gateway", () => {
  it("a good key creates the team (the control for every refusal below)", async () => {
    const { org, key, keyId } = await orgWithKey();
    const before = await state(org.id);
    const response = await createTeam(org.id, key);
    expect(response.status).toBe(200);
    expect(await state(org.id)).toEqual({ teams: before.teams + 1, audit: before.audit + 1 });
    const { rows } = await admin.query(
      "SELECT actor_type::text, actor_id FROM audit_events WHERE organization_id = $1 AND action = 'team.created'",
      [org.id],
    );
    expect(rows).toEqual([{ actor_type: "api_key", actor_id: keyId }]);
  });

  it("refuses a revoked key", async () => {
    const { org, key, keyId } = await orgWithKey();
    await admin.query("UPDATE org_api_keys SET status = 'revoked', revoked_at = now() WHERE id = $1", [keyId]);
    await expectRefused(org.id, key);
  });

  it("refuses a key past its expiry, and one marked expired", async () => {
    const byDate = await orgWithKey();
    await admin.query("UPDATE org_api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [byDate.keyId]);
    await expectRefused(byDate.org.id, byDate.key);

    const byStatus = await orgWithKey();
    await admin.query("UPDATE org_api_keys SET status = 'expired' WHERE id = $1", [byStatus.keyId]);
    await expectRefused(byStatus.org.id, byStatus.key);
  });

  it("refuses a key whose organization was deleted, and it works again once restored", async () => {
    const { org, key } = await orgWithKey();
    await admin.query("UPDATE organizations SET status = 'deleted', deleted_at = now() WHERE id = $1", [org.id]);
    await expectRefused(org.id, key);
    await admin.query("UPDATE organizations SET status = 'active', deleted_at = null WHERE id = $1", [org.id]);
    // Changed behind the product's back (restoreOrganization drops the cache itself): the
    // cached "no such key" would otherwise stand for its few seconds.
    await forgetApiKey(store, key);
    expect((await createTeam(org.id, key)).status).toBe(200);
  });

  it("refuses a tampered key: a changed secret with a valid checksum, a broken checksum, another environment, a truncated key", async () => {
    const { org, key } = await orgWithKey();
    const tampered = tamper(key);
    expect(tampered).not.toBe(key);
    await expectRefused(org.id, tampered);
    await expectRefused(org.id, `${key.slice(0, -1)}${key.endsWith("x") ? "y" : "x"}`);
    await expectRefused(org.id, key.replace(/^aih_live_/, "aih_test_"));
    await expectRefused(org.id, key.slice(0, -1));
    await expectRefused(org.id, `${key} `.trim().toLowerCase());
  });

  it("confines a key to its organization: another org's id is not found, and nothing changes there", async () => {
    const { key } = await orgWithKey();
    const other = await orgWithKey();
    await expectRefused(other.org.id, key, 404);
  });

  it("answers 429 with Retry-After once a key's rate limit is used up, without echoing the key", async () => {
    const { org, owner } = await createOrg(testDb.db);
    const ownerAccess = { kind: "member" as const, memberId: owner.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
    const { key } = await issueApiKey(
      testDb.db,
      { userId: owner.user.id, access: ownerAccess },
      { orgId: org.id, name: "limited", scopes: ["team:read"], rateLimitPerMinute: 2 },
    );
    const list = () =>
      fetch(`${base}/trpc/team.list?input=${encodeURIComponent(JSON.stringify({ json: { orgId: org.id } }))}`, {
        headers: { authorization: `Bearer ${key}` },
      });
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(200);
    const refused = await list();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const text = await refused.text();
    expect(text).not.toContain(key);
    expect(JSON.parse(text).error.json.data).toMatchObject({ code: "TOO_MANY_REQUESTS", details: { reason: "RATE_LIMITED" } });
  });

  it("answers 429 QUOTA_EXCEEDED with Retry-After (until next month) once a key's monthly quota is used up", async () => {
    const { org, owner } = await createOrg(testDb.db);
    const ownerAccess = { kind: "member" as const, memberId: owner.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
    const { key } = await issueApiKey(
      testDb.db,
      { userId: owner.user.id, access: ownerAccess },
      { orgId: org.id, name: "metered", scopes: ["team:read"], monthlyQuota: 2 },
    );
    const list = () =>
      fetch(`${base}/trpc/team.list?input=${encodeURIComponent(JSON.stringify({ json: { orgId: org.id } }))}`, {
        headers: { authorization: `Bearer ${key}` },
      });
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(200);
    const refused = await list();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(32 * 86_400);
    const text = await refused.text();
    expect(text).not.toContain(key);
    expect(JSON.parse(text).error.json.data).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      details: { reason: "QUOTA_EXCEEDED", retryAfterSeconds: retryAfter },
    });
  });

  it("never lets a key with every scope manage people", async () => {
    const { org, key, plainMember } = await orgWithKey([...PERMISSIONS]);
    const before = await state(org.id);
    const roles = async () =>
      (await admin.query("SELECT id, role::text FROM members WHERE organization_id = $1 ORDER BY id", [org.id])).rows;
    const rolesBefore = await roles();
    const calls = [
      post("member.updateRole", key, { orgId: org.id, memberId: plainMember, role: "admin" }),
      post("member.remove", key, { orgId: org.id, memberId: plainMember }),
      post("member.setPermissionOverride", key, { orgId: org.id, memberId: plainMember, permission: "org:update", effect: "grant" }),
      post("invitation.create", key, { orgId: org.id, email: `k-${randomUUID()}@example.test`, role: "viewer" }),
      post("organization.delete", key, { orgId: org.id, confirmSlug: org.slug }),
    ];
    for (const response of await Promise.all(calls)) expect(response.status).toBe(403);
    expect(await roles()).toEqual(rolesBefore);
    expect(await state(org.id)).toEqual(before);
    expect((await admin.query("SELECT count(*) FROM invitations WHERE organization_id = $1", [org.id])).rows[0].count).toBe("0");
  });
});
