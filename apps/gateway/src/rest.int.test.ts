import { randomUUID } from "node:crypto";
import { createMemoryStore, issueApiKey, type Permission } from "@aihub/api";
import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway, listen } from "./server.js";

/**
 * The REST mirror as the gateway serves it: the document, a read and a write with an org key,
 * the gateway's own walls (rate limit, body limit, request id, Server-Timing, metrics) on /v1
 * too, and Idempotency-Key over REST. (Every route against the document: packages/api's rest.int.test.ts.)
 */
let testDb: TestDatabase;
let admin: pg.Client;
let gateway: Gateway;
let base: string;
beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  gateway = createGateway({ db: testDb.db, store: createMemoryStore(), bodyLimitBytes: 8192 });
  base = `http://127.0.0.1:${await listen(gateway.server, 0)}`;
});
afterAll(async () => {
  gateway.server.close();
  await admin.end();
  await testDb.drop();
});

async function orgWithKey(scopes: Permission[], limits: { rateLimitPerMinute?: number } = {}) {
  const { org, owner } = await createOrg(testDb.db, { name: "Rest Co" });
  const access = { kind: "member" as const, memberId: owner.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
  const { key } = await issueApiKey(testDb.db, { userId: owner.user.id, access }, { orgId: org.id, name: "svc", scopes, ...limits });
  return { orgId: org.id, key };
}
// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected loosely in these tests
const json = (response: Response): Promise<any> => response.json();
const teamsNamed = async (orgId: string, name: string) =>
  (await admin.query("SELECT id FROM teams WHERE organization_id = $1 AND name = $2", [orgId, name])).rows.map((r) => r.id as string);
const createTeam = (orgId: string, key: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/v1/organizations/${orgId}/teams`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify(body),
  });

describe("REST mirror on the gateway", () => {
  it("serves its OpenAPI 3.1 document, which lists the plan's paths", async () => {
    const response = await fetch(`${base}/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = await json(response);
    expect(document.openapi).toMatch(/^3\.1\./);
    for (const path of ["/organizations", "/organizations/{orgId}/teams", "/organizations/{orgId}/teams/{teamId}/members"]) {
      expect(Object.keys(document.paths)).toContain(path);
    }
  });

  it("reads and writes with an org key: plain JSON out, the row in the database, request id and timings on the answer", async () => {
    const { orgId, key } = await orgWithKey(["org:read", "team:create", "team:read"]);
    const read = await fetch(`${base}/v1/organizations/${orgId}`, {
      headers: { authorization: `Bearer ${key}`, "x-request-id": "rest-1" },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get("x-request-id")).toBe("rest-1");
    expect(read.headers.get("server-timing")).toMatch(/auth;dur=.*db;dur=.*total;dur=/);
    const org = await json(read);
    expect(org).toMatchObject({ id: orgId, name: "Rest Co" });
    expect(typeof org.createdAt).toBe("string"); // an ISO instant, not superjson

    const created = await createTeam(orgId, key, { name: "Platform" });
    expect(created.status).toBe(200);
    const team = await json(created);
    expect(await teamsNamed(orgId, "Platform")).toEqual([team.id]);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/aihub_gateway_http_requests_total\{[^}]*route="\/v1\/\*"[^}]*status="200"[^}]*\} [1-9]/);
  });

  it("refuses as the typed API does, in the REST error envelope: bad key 401, other org 404, missing scope 403", async () => {
    const { orgId, key } = await orgWithKey(["org:read"]);
    const other = await orgWithKey(["org:read"]);
    const unauthorized = await fetch(`${base}/v1/organizations/${orgId}`, { headers: { authorization: `Bearer ${key.slice(0, -1)}x` } });
    expect(unauthorized.status).toBe(401);
    expect(await json(unauthorized)).toMatchObject({ error: { code: "UNAUTHORIZED", requestId: expect.any(String) } });
    expect((await fetch(`${base}/v1/organizations/${other.orgId}`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(404);
    const forbidden = await createTeam(orgId, key, { name: "Nope" });
    expect(forbidden.status).toBe(403);
    expect(await teamsNamed(orgId, "Nope")).toEqual([]);
  });

  it("applies the key's rate limit with Retry-After, and the body limit, on /v1 too", async () => {
    const { orgId, key } = await orgWithKey(["org:read", "team:create"], { rateLimitPerMinute: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${base}/v1/organizations/${orgId}`, { headers: { authorization: `Bearer ${key}` } });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(await json(response)).toMatchObject({ error: { code: "TOO_MANY_REQUESTS" } });
      }
    }
    expect(statuses).toEqual([200, 200, 429]);

    const roomy = await orgWithKey(["team:create"]);
    const huge = await createTeam(roomy.orgId, roomy.key, { name: "x".repeat(10_000) });
    expect(huge.status).toBe(413);
  });

  it("honours Idempotency-Key: the retried POST creates one team and answers the same", async () => {
    const { orgId, key } = await orgWithKey(["team:create"]);
    const idempotencyKey = randomUUID();
    const first = await json(await createTeam(orgId, key, { name: "Once" }, { "idempotency-key": idempotencyKey }));
    const again = await createTeam(orgId, key, { name: "Once" }, { "idempotency-key": idempotencyKey });
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(first);
    expect(await teamsNamed(orgId, "Once")).toEqual([first.id]);
    const reused = await createTeam(orgId, key, { name: "Twice" }, { "idempotency-key": idempotencyKey });
    expect(reused.status).toBe(409);
    expect(await json(reused)).toMatchObject({ error: { code: "CONFLICT", details: { reason: "IDEMPOTENCY_KEY_REUSED" } } });
  });
});
