import { randomUUID } from "node:crypto";
import { createTestDatabase, createUser, type TestDatabase } from "@aihub/db/testing";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Context, createInnerContext, type Identity } from "../context.js";
import { PERMISSIONS, type Permission } from "../rbac/permissions.js";
import { createCaller } from "../root.js";
import { loadMemberAccess } from "../services/access/member-access.js";
import { issueApiKey } from "../services/api-keys/issue-api-key.js";
import { createPersonalToken } from "../services/personal-tokens/personal-tokens.js";
import { verifyBearerToken } from "../services/personal-tokens/verify-bearer-token.js";
import { createMemoryStore, type Store } from "../store/index.js";
import { errorValidator, responseValidator } from "../testing/openapi-validator.js";
import { addInvitation, addMember, createWorld, type World } from "../testing/world.js";
import { getOpenApiDocument } from "./document.js";
import { createRestHandler } from "./rest-handler.js";

const openApiDocument = getOpenApiDocument();

/**
 * The REST mirror end to end: fetch Requests through the handler, as the gateway passes them.
 * Every documented operation is called; every answer (success and error) is checked against the
 * schema the OpenAPI document declares for its status, and writes against the rows they leave.
 *
 * Credentials in these tests: an organization API key (`aih_…`) or a personal access token
 * (`aihp_…`), verified as the gateway does, or `person:<userId>`, a stand-in for a signed-in
 * person's session (for the calls kept for people; the procedures decide who may do what).
 */

let testDb: TestDatabase;
let admin: pg.Client;
let store: Store;
let world: World;
let handler: (request: Request) => Promise<Response>;
/** A key of the world's org holding every scope. */
let KEY: string;
let keyId: string;
const person = (userId: string) => `person:${userId}`;

/** Operations that answered 200 at least once, as `METHOD path`. */
const succeeded = new Set<string>();

async function createContext(request: Request): Promise<Context> {
  const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  let identity: Identity | null = null;
  if (token?.startsWith("person:")) identity = { kind: "user", userId: token.slice("person:".length) };
  else if (token) {
    // As the gateway does: an organization key (aih_…) or a personal access token (aihp_…).
    const verified = await verifyBearerToken({ db: world.db, store }, token);
    if (!verified.identity) throw new TRPCError({ code: "UNAUTHORIZED", message: "That credential is not valid" });
    identity = verified.identity;
  }
  return createInnerContext({
    db: world.db,
    store,
    identity,
    requestId: request.headers.get("x-request-id") ?? undefined,
    idempotencyKey: request.headers.get("idempotency-key"),
  });
}

interface Call {
  method: string;
  /** The documented path, e.g. `/organizations/{orgId}/teams/{teamId}`; `{orgId}` defaults to the world's org. */
  route: string;
  params?: Record<string, string>;
  query?: Record<string, string | string[]>;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  /** The bearer token; none when null. */
  as?: string | null;
  idempotencyKey?: string;
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked against the document's schemas before use
  body: any;
  headers: Headers;
}

async function rest(call: Call): Promise<Answer> {
  const params = { orgId: world.orgId, ...call.params };
  let path = call.route;
  for (const [name, value] of Object.entries(params)) path = path.replace(`{${name}}`, encodeURIComponent(value));
  const url = new URL(`http://gateway.test/v1${path}`);
  for (const [key, value] of Object.entries(call.query ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) url.searchParams.append(key, one);
  }
  const headers = new Headers();
  const as = call.as === undefined ? KEY : call.as;
  if (as) headers.set("authorization", `Bearer ${as}`);
  if (call.idempotencyKey) headers.set("idempotency-key", call.idempotencyKey);
  const body = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  if (body !== undefined) headers.set("content-type", call.contentType ?? "application/json");
  const response = await handler(new Request(url, { method: call.method, headers, body }));
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const answer: Answer = { status: response.status, body: await response.json(), headers: response.headers };
  // The answer must be what the document says, for this operation and status.
  const documented = openApiDocument.paths?.[call.route]?.[call.method.toLowerCase() as "get"];
  const validator = documented?.responses?.[String(answer.status)]
    ? responseValidator(openApiDocument, call.route, call.method, answer.status)
    : errorValidator(openApiDocument);
  const checked = validator.safeParse(answer.body);
  expect(checked.success, `${call.method} ${call.route} → ${answer.status}: ${JSON.stringify(answer.body)} ${checked.error}`).toBe(true);
  if (answer.status === 200) succeeded.add(`${call.method} ${call.route}`);
  return answer;
}

async function ok(call: Call): Promise<Answer["body"]> {
  const answer = await rest(call);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

async function rows(sql: string, values: unknown[] = []) {
  return (await admin.query(sql, values)).rows;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  store = createMemoryStore();
  world = await createWorld(testDb.db, store);
  const owner = await loadMemberAccess(world, world.orgId, world.users.owner.userId);
  if (!owner) throw new Error("world owner missing");
  const issued = await issueApiKey(
    world.db,
    { userId: world.users.owner.userId, access: owner },
    { orgId: world.orgId, name: "REST test key", scopes: [...PERMISSIONS], rateLimitPerMinute: 1_000_000 },
  );
  KEY = issued.key;
  keyId = issued.record.id;
  handler = createRestHandler({ createContext });
});
afterAll(async () => {
  await admin.end();
  await testDb.drop();
});

describe("organizations", () => {
  it("a person creates an organization and lists theirs; an API key cannot", async () => {
    const creator = await createUser(world.db);
    const created = await ok({
      method: "POST",
      route: "/organizations",
      body: { name: "Rest Org", slug: `rest-${randomUUID().slice(0, 8)}` },
      as: person(creator.id),
    });
    expect(created.role).toBe("owner");
    const [org] = await rows("SELECT name, slug FROM organizations WHERE id = $1", [created.id]);
    expect(org).toEqual({ name: "Rest Org", slug: created.slug });
    expect(await rows("SELECT role FROM members WHERE organization_id = $1 AND user_id = $2", [created.id, creator.id])).toEqual([
      { role: "owner" },
    ]);

    const mine = await ok({ method: "GET", route: "/organizations", as: person(creator.id) });
    expect(mine.map((o: { id: string }) => o.id)).toEqual([created.id]);

    const byKey = await rest({ method: "POST", route: "/organizations", body: { name: "By key" } });
    expect([byKey.status, byKey.body.error.code]).toEqual([403, "FORBIDDEN"]);
    expect(await rows("SELECT 1 FROM organizations WHERE name = 'By key'")).toEqual([]);
  });

  it("reads an organization with its counts, as ISO instants", async () => {
    const org = await ok({ method: "GET", route: "/organizations/{orgId}" });
    const [counts] = await rows(
      "SELECT (SELECT count(*)::int FROM members WHERE organization_id = $1) AS members, (SELECT count(*)::int FROM teams WHERE organization_id = $1) AS teams",
      [world.orgId],
    );
    expect(org.id).toBe(world.orgId);
    expect(org.counts.members).toBe(counts.members);
    expect(org.counts.teams).toBe(counts.teams);
    const [row] = await rows("SELECT created_at FROM organizations WHERE id = $1", [world.orgId]);
    expect(org.createdAt).toBe((row.created_at as Date).toISOString());
  });

  it("updates an organization, audited as the key", async () => {
    const updated = await ok({
      method: "PATCH",
      route: "/organizations/{orgId}",
      body: { name: "Renamed over REST", timezone: "Asia/Shanghai" },
    });
    expect(updated.name).toBe("Renamed over REST");
    expect(await rows("SELECT name, timezone FROM organizations WHERE id = $1", [world.orgId])).toEqual([
      { name: "Renamed over REST", timezone: "Asia/Shanghai" },
    ]);
    const events = await rows(
      "SELECT actor_type, actor_id FROM audit_events WHERE organization_id = $1 AND action = 'organization.updated'",
      [world.orgId],
    );
    expect(events).toEqual([{ actor_type: "api_key", actor_id: keyId }]);
  });
});

describe("personal access tokens", () => {
  async function tokenOf(userId: string, scopes: Permission[]): Promise<string> {
    const request = { requestId: randomUUID(), ip: null, userAgent: null };
    const { token } = await createPersonalToken(
      { db: world.db, store, userId, request },
      {
        name: `REST ${randomUUID().slice(0, 8)}`,
        scopes,
        expiresAt: new Date(Date.now() + 86_400_000),
        environment: "test",
      },
    );
    return token;
  }

  it("a person's token creates and lists the person's organizations, and works in them within its scopes", async () => {
    const creator = await createUser(world.db);
    const token = await tokenOf(creator.id, ["org:read", "team:read", "team:create"]);
    const created = await ok({ method: "POST", route: "/organizations", body: { name: "Token Org" }, as: token });
    expect(await rows("SELECT role FROM members WHERE organization_id = $1 AND user_id = $2", [created.id, creator.id])).toEqual([
      { role: "owner" },
    ]);
    expect((await ok({ method: "GET", route: "/organizations", as: token })).map((o: { id: string }) => o.id)).toEqual([created.id]);

    const team = await ok({
      method: "POST",
      route: "/organizations/{orgId}/teams",
      params: { orgId: created.id },
      body: { name: "Via token" },
      as: token,
    });
    expect(await rows("SELECT organization_id FROM teams WHERE id = $1", [team.id])).toEqual([{ organization_id: created.id }]);
    // Beyond its scopes (the person could, the token cannot), and what is kept for signed-in people.
    const update = await rest({
      method: "PATCH",
      route: "/organizations/{orgId}",
      params: { orgId: created.id },
      body: { name: "No" },
      as: token,
    });
    expect([update.status, update.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const keyCreate = await rest({
      method: "POST",
      route: "/organizations/{orgId}/api-keys",
      params: { orgId: created.id },
      body: { name: "No", scopes: ["org:read"] },
      as: token,
    });
    expect([keyCreate.status, keyCreate.body.error.code]).toEqual([403, "FORBIDDEN"]);
    expect(await rows("SELECT 1 FROM org_api_keys WHERE organization_id = $1", [created.id])).toEqual([]);
    // Another organization (the world's, where the person is no member): 404.
    const foreign = await rest({ method: "GET", route: "/organizations/{orgId}/teams", as: token });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, "NOT_FOUND"]);
  });
});

describe("members", () => {
  it("pages through the members with a cursor from the query string", async () => {
    const total = (await rows("SELECT id FROM members WHERE organization_id = $1", [world.orgId])).length;
    const first = await ok({ method: "GET", route: "/organizations/{orgId}/members", query: { limit: "3" } });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await ok({ method: "GET", route: "/organizations/{orgId}/members", query: { limit: "100", cursor: first.nextCursor } });
    const ids = [...first.items, ...second.items].map((m: { id: string }) => m.id);
    expect(new Set(ids).size).toBe(total);
    const viewers = await ok({ method: "GET", route: "/organizations/{orgId}/members", query: { role: "viewer" } });
    expect(viewers.items.map((m: { id: string }) => m.id)).toEqual([world.users.viewer.memberId]);
  });

  it("changes a role, sets and removes a permission override, removes a member (as the owner)", async () => {
    const owner = person(world.users.owner.userId);
    const target = await addMember(world, "member");
    const role = await ok({
      method: "PATCH",
      route: "/organizations/{orgId}/members/{memberId}",
      params: { memberId: target.memberId },
      body: { role: "viewer" },
      as: owner,
    });
    expect(role).toEqual({ memberId: target.memberId, role: "viewer", previousRole: "member" });
    expect(await rows("SELECT role FROM members WHERE id = $1", [target.memberId])).toEqual([{ role: "viewer" }]);

    const overrideRoute = "/organizations/{orgId}/members/{memberId}/permission-overrides/{permission}";
    const params = { memberId: target.memberId, permission: "team:create" };
    const set = await ok({
      method: "PUT",
      route: overrideRoute,
      params,
      body: { effect: "grant", expiresAt: "2099-01-01T00:00:00.000Z" },
      as: owner,
    });
    expect(set).toMatchObject({
      memberId: target.memberId,
      permission: "team:create",
      effect: "grant",
      expiresAt: "2099-01-01T00:00:00.000Z",
    });
    expect(await rows("SELECT permission, effect FROM member_permission_overrides WHERE member_id = $1", [target.memberId])).toEqual([
      { permission: "team:create", effect: "grant" },
    ]);
    await ok({ method: "DELETE", route: overrideRoute, params, as: owner });
    expect(await rows("SELECT 1 FROM member_permission_overrides WHERE member_id = $1", [target.memberId])).toEqual([]);

    // Keys may not change people's standing, whatever their scopes.
    const byKey = await rest({
      method: "DELETE",
      route: "/organizations/{orgId}/members/{memberId}",
      params: { memberId: target.memberId },
    });
    expect([byKey.status, byKey.body.error.code]).toEqual([403, "FORBIDDEN"]);
    await ok({ method: "DELETE", route: "/organizations/{orgId}/members/{memberId}", params: { memberId: target.memberId }, as: owner });
    expect(await rows("SELECT 1 FROM members WHERE id = $1", [target.memberId])).toEqual([]);
  });
});

describe("teams", () => {
  it("creates, reads, renames, moves and deletes a team", async () => {
    const created = await ok({ method: "POST", route: "/organizations/{orgId}/teams", body: { name: "Platform" } });
    const teamId = created.id as string;
    expect(await rows("SELECT name, parent_team_id FROM teams WHERE id = $1", [teamId])).toEqual([
      { name: "Platform", parent_team_id: null },
    ]);

    const tree = await ok({ method: "GET", route: "/organizations/{orgId}/teams" });
    const roots = await rows("SELECT id FROM teams WHERE organization_id = $1 AND parent_team_id IS NULL ORDER BY id", [world.orgId]);
    expect(tree.map((t: { id: string }) => t.id).sort()).toEqual(roots.map((r) => r.id).sort());
    const parent = tree.find((t: { id: string }) => t.id === world.parentTeamId);
    expect(parent.children.map((t: { id: string }) => t.id)).toContain(world.targetTeamId);

    const team = await ok({ method: "GET", route: "/organizations/{orgId}/teams/{teamId}", params: { teamId: world.targetTeamId } });
    expect(team.memberships.map((m: { member: { id: string } }) => m.member.id).sort()).toEqual(
      [world.users.directLead.memberId, world.users.teamMember.memberId].sort(),
    );

    await ok({
      method: "PATCH",
      route: "/organizations/{orgId}/teams/{teamId}",
      params: { teamId },
      body: { description: "Runs the platform" },
    });
    expect(await rows("SELECT description FROM teams WHERE id = $1", [teamId])).toEqual([{ description: "Runs the platform" }]);

    await ok({
      method: "POST",
      route: "/organizations/{orgId}/teams/{teamId}/move",
      params: { teamId },
      body: { newParentTeamId: world.unrelatedTeamId },
    });
    expect(await rows("SELECT parent_team_id FROM teams WHERE id = $1", [teamId])).toEqual([{ parent_team_id: world.unrelatedTeamId }]);

    await ok({ method: "DELETE", route: "/organizations/{orgId}/teams/{teamId}", params: { teamId } });
    expect(await rows("SELECT 1 FROM teams WHERE id = $1", [teamId])).toEqual([]);
  });

  it("a write retried with its Idempotency-Key is made once; the key with another body is refused", async () => {
    const idempotencyKey = randomUUID();
    const name = `Retried ${randomUUID().slice(0, 8)}`;
    const first = await ok({ method: "POST", route: "/organizations/{orgId}/teams", body: { name }, idempotencyKey });
    const retry = await ok({ method: "POST", route: "/organizations/{orgId}/teams", body: { name }, idempotencyKey });
    expect(retry).toEqual(first);
    expect(await rows("SELECT id FROM teams WHERE organization_id = $1 AND name = $2", [world.orgId, name])).toEqual([{ id: first.id }]);
    const reused = await rest({ method: "POST", route: "/organizations/{orgId}/teams", body: { name: `${name} 2` }, idempotencyKey });
    expect([reused.status, reused.body.error.code, reused.body.error.details?.reason]).toEqual([409, "CONFLICT", "IDEMPOTENCY_KEY_REUSED"]);
    expect(await rows("SELECT 1 FROM teams WHERE organization_id = $1 AND name = $2", [world.orgId, `${name} 2`])).toEqual([]);
  });

  it("reads `cascade=false` as false: a team with sub-teams stays", async () => {
    const parent = await ok({ method: "POST", route: "/organizations/{orgId}/teams", body: { name: "Has children" } });
    await ok({ method: "POST", route: "/organizations/{orgId}/teams", body: { name: "Child", parentTeamId: parent.id } });
    const refused = await rest({
      method: "DELETE",
      route: "/organizations/{orgId}/teams/{teamId}",
      params: { teamId: parent.id },
      query: { cascade: "false" },
    });
    expect([refused.status, refused.body.error.code, refused.body.error.details?.reason]).toEqual([
      412,
      "PRECONDITION_FAILED",
      "HAS_SUB_TEAMS",
    ]);
    const bad = await rest({
      method: "DELETE",
      route: "/organizations/{orgId}/teams/{teamId}",
      params: { teamId: parent.id },
      query: { cascade: "yes" },
    });
    expect([bad.status, bad.body.error.code, Object.keys(bad.body.error.fieldErrors)]).toEqual([400, "BAD_REQUEST", ["cascade"]]);
    expect(await rows("SELECT 1 FROM teams WHERE id = $1 OR parent_team_id = $1", [parent.id])).toHaveLength(2);
    await ok({
      method: "DELETE",
      route: "/organizations/{orgId}/teams/{teamId}",
      params: { teamId: parent.id },
      query: { cascade: "true" },
    });
    expect(await rows("SELECT 1 FROM teams WHERE id = $1 OR parent_team_id = $1", [parent.id])).toEqual([]);
  });

  it("adds a team member, changes their team role, removes them", async () => {
    const teamId = world.unrelatedTeamId;
    const memberId = world.users.viewer.memberId as string;
    const membersRoute = "/organizations/{orgId}/teams/{teamId}/members";
    const oneRoute = "/organizations/{orgId}/teams/{teamId}/members/{memberId}";
    const added = await ok({ method: "POST", route: membersRoute, params: { teamId }, body: { memberId, role: "lead" } });
    expect(added).toMatchObject({ teamId, memberId, role: "lead" });
    expect(await rows("SELECT role FROM team_memberships WHERE team_id = $1 AND member_id = $2", [teamId, memberId])).toEqual([
      { role: "lead" },
    ]);
    await ok({ method: "PATCH", route: oneRoute, params: { teamId, memberId }, body: { role: "member" } });
    expect(await rows("SELECT role FROM team_memberships WHERE team_id = $1 AND member_id = $2", [teamId, memberId])).toEqual([
      { role: "member" },
    ]);
    await ok({ method: "DELETE", route: oneRoute, params: { teamId, memberId } });
    expect(await rows("SELECT 1 FROM team_memberships WHERE team_id = $1 AND member_id = $2", [teamId, memberId])).toEqual([]);
  });
});

describe("invitations", () => {
  it("invites (as the owner), lists, resends and revokes", async () => {
    const owner = person(world.users.owner.userId);
    const email = `rest-${randomUUID()}@example.test`;
    const sent = await ok({ method: "POST", route: "/organizations/{orgId}/invitations", body: { email, role: "viewer" }, as: owner });
    expect(sent.invitation).toMatchObject({ email, role: "viewer", revokedAt: null });
    expect(await rows("SELECT role FROM invitations WHERE id = $1", [sent.invitation.id])).toEqual([{ role: "viewer" }]);

    const byKey = await rest({ method: "POST", route: "/organizations/{orgId}/invitations", body: { email: `key-${email}` } });
    expect([byKey.status, byKey.body.error.code]).toEqual([403, "FORBIDDEN"]);

    const listed = await ok({ method: "GET", route: "/organizations/{orgId}/invitations", query: { status: "pending" } });
    expect(listed.items.map((i: { id: string }) => i.id)).toContain(sent.invitation.id);

    await ok({
      method: "POST",
      route: "/organizations/{orgId}/invitations/{invitationId}/resend",
      params: { invitationId: sent.invitation.id },
      as: owner,
    });
    const pending = await addInvitation(world);
    const revoked = await ok({
      method: "POST",
      route: "/organizations/{orgId}/invitations/{invitationId}/revoke",
      params: { invitationId: pending },
    });
    expect(revoked.revokedAt).not.toBeNull();
    const [row] = await rows("SELECT revoked_at FROM invitations WHERE id = $1", [pending]);
    expect(row.revoked_at).not.toBeNull();
  });
});

describe("API keys", () => {
  it("creates (as the owner), reads, updates, rotates and revokes a key", async () => {
    const owner = person(world.users.owner.userId);
    const created = await ok({
      method: "POST",
      route: "/organizations/{orgId}/api-keys",
      body: { name: "Python backend", scopes: ["usage:read", "team:read"] },
      as: owner,
    });
    expect(created.key).toMatch(/^aih_/);
    const id = created.apiKey.id as string;
    const [row] = await rows("SELECT name, scopes, key_hash FROM org_api_keys WHERE id = $1", [id]);
    expect(row.name).toBe("Python backend");
    expect([...row.scopes].sort()).toEqual(["team:read", "usage:read"]);
    expect(row.key_hash).not.toContain(created.key);
    // The new key works over REST, held to its scopes.
    await ok({ method: "GET", route: "/organizations/{orgId}/teams", as: created.key });
    const refused = await rest({ method: "GET", route: "/organizations/{orgId}/members", as: created.key });
    expect([refused.status, refused.body.error.code]).toEqual([403, "FORBIDDEN"]);

    const listed = await ok({ method: "GET", route: "/organizations/{orgId}/api-keys", query: { status: "active", limit: "100" } });
    expect(listed.items.map((k: { id: string }) => k.id)).toEqual(expect.arrayContaining([id, keyId]));
    const one = await ok({ method: "GET", route: "/organizations/{orgId}/api-keys/{apiKeyId}", params: { apiKeyId: id } });
    expect(one.name).toBe("Python backend");
    expect(JSON.stringify(one)).not.toContain(created.key);

    await ok({
      method: "PATCH",
      route: "/organizations/{orgId}/api-keys/{apiKeyId}",
      params: { apiKeyId: id },
      body: { name: "Python backend (prod)" },
      as: owner,
    });
    expect(await rows("SELECT name FROM org_api_keys WHERE id = $1", [id])).toEqual([{ name: "Python backend (prod)" }]);

    const rotated = await ok({
      method: "POST",
      route: "/organizations/{orgId}/api-keys/{apiKeyId}/rotate",
      params: { apiKeyId: id },
      body: { gracePeriodSeconds: 0 },
      as: owner,
    });
    expect(rotated.previous.id).toBe(id);
    expect(await rows("SELECT replaced_by_id FROM org_api_keys WHERE id = $1", [id])).toEqual([{ replaced_by_id: rotated.apiKey.id }]);

    const revoked = await ok({
      method: "POST",
      route: "/organizations/{orgId}/api-keys/{apiKeyId}/revoke",
      params: { apiKeyId: rotated.apiKey.id },
    });
    expect(revoked.status).toBe("revoked");
    const [after] = await rows("SELECT status, revoked_at FROM org_api_keys WHERE id = $1", [rotated.apiKey.id]);
    expect(after.status).toBe("revoked");
    expect(after.revoked_at).not.toBeNull();
    const gone = await rest({ method: "GET", route: "/organizations/{orgId}/teams", as: rotated.key });
    expect([gone.status, gone.body.error.code]).toEqual([401, "UNAUTHORIZED"]);
  });
});

describe("budgets and usage", () => {
  it("sets and reads budgets, records and reserves usage in micro-unit strings, and refuses past the limit with 402", async () => {
    const owner = person(world.users.owner.userId);
    const set = await ok({
      method: "PUT",
      route: "/organizations/{orgId}/budgets",
      body: { scope: "organization", periodLimit: "5000000" },
      as: owner,
    });
    expect(set).toMatchObject({ scope: "organization", scopeId: world.orgId, periodLimit: "5000000", spent: "0" });
    const recorded = await ok({ method: "POST", route: "/organizations/{orgId}/budgets/usage", body: { cost: "2000000", model: "m-1" } });
    expect(recorded).toMatchObject({ cost: "2000000", replayed: false });
    const check = await ok({ method: "GET", route: "/organizations/{orgId}/budgets/usage/check", query: { cost: "3000001" } });
    expect(check).toMatchObject({ allowed: false, tightest: { scope: "organization", remaining: "3000000" } });
    const held = await ok({ method: "POST", route: "/organizations/{orgId}/budgets/reservations", body: { cost: "1000000" } });
    const settled = await ok({
      method: "POST",
      route: "/organizations/{orgId}/budgets/reservations/{reservationId}/settle",
      params: { reservationId: held.reservationId },
      body: { cost: "500000" },
    });
    expect(settled).toMatchObject({ cost: "500000", released: "500000" });
    const second = await ok({ method: "POST", route: "/organizations/{orgId}/budgets/reservations", body: { cost: "1000000" } });
    const released = await ok({
      method: "POST",
      route: "/organizations/{orgId}/budgets/reservations/{reservationId}/release",
      params: { reservationId: second.reservationId },
    });
    expect(released).toEqual({ released: "1000000" });
    const refused = await rest({ method: "POST", route: "/organizations/{orgId}/budgets/usage", body: { cost: "2500001" } });
    expect([refused.status, refused.body.error.code, refused.body.error.details?.reason]).toEqual([
      402,
      "PAYMENT_REQUIRED",
      "BUDGET_EXCEEDED",
    ]);
    const listed = await ok({ method: "GET", route: "/organizations/{orgId}/budgets" });
    expect(listed.items).toHaveLength(1);
    const one = await ok({ method: "GET", route: "/organizations/{orgId}/budgets/{scope}", params: { scope: "organization" } });
    expect(one).toMatchObject({ spent: "2500000", reserved: "0", remaining: "2500000" });
    expect(await rows("SELECT sum(cost)::text AS total FROM usage_records WHERE organization_id = $1", [world.orgId])).toEqual([
      { total: "2500000" },
    ]);
    // Yesterday to tomorrow in UTC covers today in any zone.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const [from, to] = [day(-1), day(1)];
    const summary = await ok({ method: "GET", route: "/organizations/{orgId}/budgets/usage", query: { from, to } });
    expect(summary.totals).toMatchObject({ cost: "2500000", requests: 2 });
    const byModel = await ok({
      method: "GET",
      route: "/organizations/{orgId}/budgets/usage/breakdown",
      query: { from, to, by: "model" },
    });
    expect(byModel.items.map((i: { key: string | null; cost: string }) => [i.key, i.cost])).toEqual([
      ["m-1", "2000000"],
      [null, "500000"],
    ]);
    const tree = await ok({ method: "GET", route: "/organizations/{orgId}/budgets/tree" });
    expect(tree.nodes.map((n: { scope: string; parentBudgetId: string | null }) => [n.scope, n.parentBudgetId])).toEqual([
      ["organization", null],
    ]);
    // 2.50 of the organization's 5.00: the 50% alert, with its queued in-app delivery.
    const alerts = await ok({ method: "GET", route: "/organizations/{orgId}/budgets/alerts", query: { limit: "10" } });
    expect(alerts.items.map((a: { kind: string; threshold: number; spent: string }) => [a.kind, a.threshold])).toEqual([["threshold", 50]]);
    expect(alerts.items[0].deliveries).toMatchObject([{ channelKind: "in_app", status: "pending", attempts: 0 }]);
    const priced = await ok({
      method: "PUT",
      route: "/organizations/{orgId}/prices",
      body: { model: "rest-model", inputPrice: "1000000", outputPrice: "2000000" },
      as: owner,
    });
    expect(priced).toMatchObject({ model: "rest-model", source: "organization" });
    const prices = await ok({ method: "GET", route: "/organizations/{orgId}/prices" });
    expect(prices.items.map((p: { model: string }) => p.model)).toContain("rest-model");
  });
});

describe("audit log", () => {
  it("lists with filters from the query string, reads one event, verifies the chain", async () => {
    await ok({ method: "POST", route: "/organizations/{orgId}/teams", body: { name: `Audited ${randomUUID().slice(0, 6)}` } });
    const expected = await rows("SELECT id FROM audit_events WHERE organization_id = $1 AND action = 'team.created'", [world.orgId]);
    const listed = await ok({
      method: "GET",
      route: "/organizations/{orgId}/audit-events",
      query: { action: "team.created", limit: "100" },
    });
    expect(listed.items.map((e: { id: string }) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
    expect(listed.items.every((e: { action: string }) => e.action === "team.created")).toBe(true);

    const event = await ok({
      method: "GET",
      route: "/organizations/{orgId}/audit-events/{eventId}",
      params: { eventId: listed.items[0].id },
    });
    expect(event.id).toBe(listed.items[0].id);
    const verified = await ok({ method: "GET", route: "/organizations/{orgId}/audit-log/verify" });
    expect(verified.ok).toBe(true);
  });
});

describe("permissions and me", () => {
  it("explains a decision", async () => {
    const explained = await ok({
      method: "POST",
      route: "/organizations/{orgId}/permissions/explain",
      body: { subject: { userId: world.users.viewer.userId }, permission: "org:update" },
    });
    expect(explained).toMatchObject({ permission: "org:update", allowed: false });
  });

  it("answers who the person is and what they may do", async () => {
    const me = await ok({ method: "GET", route: "/me", as: person(world.users.admin.userId) });
    expect(me.user.id).toBe(world.users.admin.userId);
    const mine = await ok({ method: "GET", route: "/organizations/{orgId}/me/permissions", as: person(world.users.admin.userId) });
    expect(mine.role).toBe("admin");
    expect(mine.permissions).toContain("member:invite");
    const byKey = await rest({ method: "GET", route: "/me" });
    expect([byKey.status, byKey.body.error.code]).toEqual([403, "FORBIDDEN"]);
  });
});

describe("errors", () => {
  const orgRoutes = Object.entries(openApiDocument.paths ?? {})
    .filter(([path]) => path.startsWith("/organizations/{orgId}") && !path.endsWith("/me/permissions"))
    .flatMap(([path, item]) => Object.keys(item).map((method) => ({ method: method.toUpperCase(), path })));

  it.each(orgRoutes)("another organization's id in the path: $method $path → 404", async ({ method, path }) => {
    const before = await rows("SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1", [world.foreignOrgId]);
    const params = Object.fromEntries(
      [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name, name === "permission" ? "org:read" : randomUUID()]),
    );
    const answer = await rest({
      method,
      route: path,
      params: { ...params, orgId: world.foreignOrgId },
      body: ["GET", "DELETE"].includes(method) ? undefined : {},
    });
    expect([answer.status, answer.body.error.code]).toEqual([404, "NOT_FOUND"]);
    expect(await rows("SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1", [world.foreignOrgId])).toEqual(before);
  });

  it("bad input is a typed 400, field by field, and nothing is written", async () => {
    const before = await rows("SELECT count(*)::int AS n FROM teams WHERE organization_id = $1", [world.orgId]);
    const empty = await rest({ method: "POST", route: "/organizations/{orgId}/teams", body: { name: "" } });
    expect([empty.status, empty.body.error.code, Object.keys(empty.body.error.fieldErrors)]).toEqual([400, "BAD_REQUEST", ["name"]]);
    const smuggled = await rest({
      method: "POST",
      route: "/organizations/{orgId}/teams",
      body: { name: "Ok", organizationId: world.foreignOrgId },
    });
    expect([smuggled.status, smuggled.body.error.code]).toEqual([400, "BAD_REQUEST"]);
    expect(smuggled.body.error.fieldErrors[""]).toBeDefined();
    const notJson = await rest({ method: "POST", route: "/organizations/{orgId}/teams", rawBody: '{"name": "Half' });
    expect([notJson.status, notJson.body.error.code, notJson.body.error.message]).toEqual([
      400,
      "BAD_REQUEST",
      "The request body is not valid JSON",
    ]);
    const array = await rest({ method: "POST", route: "/organizations/{orgId}/teams", rawBody: "[]" });
    expect([array.status, array.body.error.code]).toEqual([400, "BAD_REQUEST"]);
    const text = await rest({ method: "POST", route: "/organizations/{orgId}/teams", rawBody: "name=x", contentType: "text/plain" });
    expect([text.status, text.body.error.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    expect(await rows("SELECT count(*)::int AS n FROM teams WHERE organization_id = $1", [world.orgId])).toEqual(before);

    // The path names the organization: an orgId in the body does not redirect the call.
    const [foreignBefore] = await rows("SELECT name FROM organizations WHERE id = $1", [world.foreignOrgId]);
    await ok({ method: "PATCH", route: "/organizations/{orgId}", body: { orgId: world.foreignOrgId, description: "Path wins" } });
    expect(await rows("SELECT name FROM organizations WHERE id = $1", [world.foreignOrgId])).toEqual([foreignBefore]);
    expect(await rows("SELECT description FROM organizations WHERE id = $1", [world.orgId])).toEqual([{ description: "Path wins" }]);

    const limit = await rest({ method: "GET", route: "/organizations/{orgId}/members", query: { limit: "lots" } });
    expect([limit.status, Object.keys(limit.body.error.fieldErrors)]).toEqual([400, ["limit"]]);
    const unknown = await rest({ method: "GET", route: "/organizations/{orgId}/members", query: { sort: "name" } });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, "BAD_REQUEST"]);
    const badId = await rest({ method: "GET", route: "/organizations/{orgId}/teams/{teamId}", params: { teamId: "not-a-uuid" } });
    expect([badId.status, Object.keys(badId.body.error.fieldErrors)]).toEqual([400, ["teamId"]]);
  });

  it("without or with a bad credential: 401; the request id is echoed", async () => {
    const none = await rest({ method: "GET", route: "/organizations/{orgId}", as: null });
    expect([none.status, none.body.error.code]).toEqual([401, "UNAUTHORIZED"]);
    const wrong = await rest({ method: "GET", route: "/organizations/{orgId}", as: `aih_live_${"x".repeat(40)}` });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, "UNAUTHORIZED"]);
    const response = await handler(
      new Request(`http://gateway.test/v1/organizations/${world.orgId}`, { headers: { "x-request-id": "req-123" } }),
    );
    expect(((await response.json()) as { error: { requestId: string } }).error.requestId).toBe("req-123");
  });

  it("unknown routes are 404, wrong methods 405 with Allow", async () => {
    for (const path of ["/v1/nothing-here", "/v2/organizations", `/v1/organizations/${world.orgId}/forecasts`]) {
      const response = await handler(new Request(`http://gateway.test${path}`, { headers: { authorization: `Bearer ${KEY}` } }));
      const body = (await response.json()) as { error: { code: string } };
      expect([response.status, body.error.code]).toEqual([404, "NOT_FOUND"]);
      expect(errorValidator(openApiDocument).safeParse(body).success).toBe(true);
    }
    const wrong = await rest({ method: "PUT", route: "/organizations/{orgId}", body: { name: "x" } });
    expect([wrong.status, wrong.body.error.code]).toEqual([405, "METHOD_NOT_SUPPORTED"]);
    expect(wrong.headers.get("allow")?.split(", ").sort()).toEqual(["GET", "PATCH"]);
    // The owner-only, session-only operations have no route: delete, restore, transfer.
    const remove = await rest({ method: "DELETE", route: "/organizations/{orgId}", body: undefined });
    expect([remove.status, remove.body.error.code]).toEqual([405, "METHOD_NOT_SUPPORTED"]);
    for (const tail of ["restore", "transfer", "transfer-ownership", "delete"]) {
      const response = await handler(
        new Request(`http://gateway.test/v1/organizations/${world.orgId}/${tail}`, {
          method: "POST",
          headers: { authorization: `Bearer ${KEY}` },
        }),
      );
      expect(response.status).toBe(404);
    }
    expect(await rows("SELECT deleted_at FROM organizations WHERE id = $1", [world.orgId])).toEqual([{ deleted_at: null }]);
  });

  it("an internal error is masked: no stack, no cause, the request id quoted", async () => {
    const failing = createRestHandler({
      createContext: async () => {
        throw new Error("connection to 10.0.0.5 refused: password authentication failed");
      },
    });
    const response = await failing(
      new Request(`http://gateway.test/v1/organizations/${world.orgId}`, { headers: { "x-request-id": "req-500" } }),
    );
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(text).not.toMatch(/10\.0\.0\.5|password|stack|at .*\.ts/);
    const body = JSON.parse(text);
    expect(errorValidator(openApiDocument).safeParse(body).success).toBe(true);
    expect(body.error).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId: "req-500" });
    expect(body.error.message).toContain("req-500");
  });

  it("the typed API still refuses strings for numbers after REST calls (no schema was changed)", async () => {
    await ok({ method: "GET", route: "/organizations/{orgId}/members", query: { limit: "2" } });
    const caller = createCaller(createInnerContext({ db: world.db, store, identity: { kind: "user", userId: world.users.owner.userId } }));
    await expect(caller.member.list({ orgId: world.orgId, limit: "2" as unknown as number })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("the document", () => {
  it("is served at /v1/openapi.json without credentials", async () => {
    const response = await handler(new Request("http://gateway.test/v1/openapi.json"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  it("every documented operation was called and answered 200 as documented", () => {
    const documented = Object.entries(openApiDocument.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.length).toBeGreaterThan(30);
    expect(documented.filter((operation) => !succeeded.has(operation))).toEqual([]);
  });
});
