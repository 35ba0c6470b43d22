import { createCaller, createInnerContext, createMemoryStore, forgetPersonalToken } from "@aihub/api";
import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayServer, listen } from "./server.js";

/**
 * Personal access tokens at the gateway (`Authorization: Bearer aihp_…`): a token acts as its
 * person where allowed (creating an organization, listing theirs, reading within its scopes),
 * is refused what is kept for sessions (managing tokens, deleting an organization), and answers
 * 401 once revoked or tampered with — each refusal changing nothing.
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

const headers = (token: string) => ({ "content-type": "application/json", authorization: `Bearer ${token}` });
const post = (path: string, token: string, body: unknown) =>
  fetch(`${base}/trpc/${path}`, { method: "POST", headers: headers(token), body: JSON.stringify({ json: body }) });
const get = (path: string, token: string, input?: unknown) =>
  fetch(`${base}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`, {
    headers: headers(token),
  });
const codeOf = async (response: Response) =>
  ((await response.json()) as { error?: { json: { data: { code: string } } } }).error?.json.data.code;

/** An owner of a fresh org and a token of theirs, created as the account page does (by session). */
async function ownerWithToken(scopes: string[] = ["org:read", "team:read"]) {
  const { org, owner } = await createOrg(testDb.db);
  const session = createCaller(createInnerContext({ db: testDb.db, store, identity: { kind: "user", userId: owner.user.id } }));
  const created = await session.personalToken.create({
    name: "gateway test",
    // biome-ignore lint/suspicious/noExplicitAny: scopes as a caller would type them
    scopes: scopes as any,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return { org, owner, token: created.token, tokenId: created.personalToken.id };
}

describe("personal access tokens at the gateway", () => {
  it("create an organization and list the person's organizations", async () => {
    const { org, owner, token } = await ownerWithToken();
    const created = await post("organization.create", token, { name: "Made by token" });
    expect(created.status).toBe(200);
    const newId = ((await created.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
    const { rows } = await admin.query("SELECT role::text FROM members WHERE organization_id = $1 AND user_id = $2", [
      newId,
      owner.user.id,
    ]);
    expect(rows).toEqual([{ role: "owner" }]);
    const mine = await get("organization.listMine", token);
    expect(mine.status).toBe(200);
    const ids = ((await mine.json()) as { result: { data: { json: { id: string }[] } } }).result.data.json.map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining([org.id, newId]));
  });

  it("read within its scopes, and nothing beyond them", async () => {
    const { org, token } = await ownerWithToken(["org:read"]);
    expect((await get("organization.get", token, { orgId: org.id })).status).toBe(200);
    const teams = await get("team.list", token, { orgId: org.id });
    expect(teams.status).toBe(403);
  });

  it("never manage tokens nor delete the organization", async () => {
    const { org, owner, token } = await ownerWithToken(["org:read", "org:update"]);
    const count = async () =>
      Number((await admin.query("SELECT count(*) FROM personal_access_tokens WHERE user_id = $1", [owner.user.id])).rows[0].count);
    const before = await count();
    const minted = await post("personalToken.create", token, {
      name: "minted",
      scopes: ["org:read"],
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    expect(minted.status).toBe(403);
    expect(await count()).toBe(before);
    const deleted = await post("organization.delete", token, { orgId: org.id, confirmSlug: org.slug });
    expect(deleted.status).toBe(403);
    const { rows } = await admin.query("SELECT status::text FROM organizations WHERE id = $1", [org.id]);
    expect(rows).toEqual([{ status: "active" }]);
  });

  it("answer 401 once revoked, or when tampered with", async () => {
    const { org, token, tokenId } = await ownerWithToken();
    expect((await get("organization.get", token, { orgId: org.id })).status).toBe(200);
    await admin.query("UPDATE personal_access_tokens SET revoked_at = now() WHERE id = $1", [tokenId]);
    await forgetPersonalToken(store, token);
    const revoked = await get("organization.get", token, { orgId: org.id });
    expect(revoked.status).toBe(401);
    expect(await codeOf(revoked)).toBe("UNAUTHORIZED");
    const tampered = `${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`;
    expect((await get("organization.get", tampered, { orgId: org.id })).status).toBe(401);
  });
});
