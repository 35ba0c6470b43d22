import { createHmac, randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { createMemoryStore, issueApiKey, type Permission } from "@aihub/api";
import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createGateway, createLogger, type Gateway, listen } from "./server.js";

/**
 * What operators see of the gateway: metrics, Server-Timing, request logs — and what they must
 * never see there (key material). Also the body size limit.
 */
let testDb: TestDatabase;
let admin: pg.Client;
let gateway: Gateway;
let base: string;
const logLines: string[] = [];
const BODY_LIMIT = 4096;

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  gateway = createGateway({
    db: testDb.db,
    store: createMemoryStore(),
    logger: createLogger({ destination, level: "debug" }),
    bodyLimitBytes: BODY_LIMIT,
  });
  base = `http://127.0.0.1:${await listen(gateway.server, 0)}`;
});
afterAll(async () => {
  gateway.server.close();
  await admin.end();
  await testDb.drop();
});

async function orgWithKey(scopes: Permission[] = ["org:read", "team:create", "team:read"], limits: { rateLimitPerMinute?: number } = {}) {
  const { org, owner } = await createOrg(testDb.db);
  const access = { kind: "member" as const, memberId: owner.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
  const { key, record } = await issueApiKey(
    testDb.db,
    { userId: owner.user.id, access },
    { orgId: org.id, name: "svc", scopes, ...limits },
  );
  return { orgId: org.id, key, keyId: record.id };
}

const getOrg = (orgId: string, key: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/trpc/organization.get?input=${encodeURIComponent(JSON.stringify({ json: { orgId } }))}`, {
    headers: { authorization: `Bearer ${key}`, ...headers },
  });

const createTeam = (orgId: string, key: string, name: string) =>
  fetch(`${base}/trpc/team.create`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ json: { orgId, name } }),
  });

/** One sample's value from the Prometheus text format, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.indexOf("}"));
    const have = labelText.split(",");
    if (want.every((pair) => have.includes(pair))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}
const metricsText = async () => (await fetch(`${base}/metrics`)).text();

describe("metrics", () => {
  it("counts requests by route and status, verification outcomes, and where key records came from (cache hit or database)", async () => {
    const { orgId, key } = await orgWithKey();
    const before = await metricsText();
    const count = (text: string, name: string, labels: Record<string, string>) => sample(text, name, labels) - sample(before, name, labels);

    expect((await getOrg(orgId, key)).status).toBe(200); // first sight: read from PostgreSQL
    expect((await getOrg(orgId, key)).status).toBe(200); // then from the shared cache
    expect((await getOrg(orgId, key)).status).toBe(200);
    expect((await getOrg(orgId, `${key.slice(0, -1)}${key.endsWith("a") ? "b" : "a"}`)).status).toBe(401); // checksum fails: no lookup
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);

    const after = await metricsText();
    expect(count(after, "aihub_gateway_http_requests_total", { route: "/trpc/organization.get", status: "200", method: "GET" })).toBe(3);
    expect(count(after, "aihub_gateway_http_requests_total", { route: "/trpc/organization.get", status: "401", method: "GET" })).toBe(1);
    expect(count(after, "aihub_gateway_api_key_verifications_total", { status: "valid" })).toBe(3);
    expect(count(after, "aihub_gateway_api_key_verifications_total", { status: "not_found" })).toBe(1);
    expect(count(after, "aihub_gateway_api_key_lookups_total", { source: "database" })).toBe(1);
    expect(count(after, "aihub_gateway_api_key_lookups_total", { source: "store" })).toBe(2);
    expect(count(after, "aihub_gateway_http_request_duration_seconds_count", { route: "/trpc/organization.get", method: "GET" })).toBe(4);
    // No tenant in any label.
    expect(after).not.toContain(orgId);
    expect(after).toContain("aihub_gateway_process_cpu_user_seconds_total");
  });
});

describe("Server-Timing and request ids", () => {
  it("reports auth, ratelimit, db and total on a keyed call, and echoes a sane request id", async () => {
    const { orgId, key } = await orgWithKey();
    const response = await getOrg(orgId, key, { "x-request-id": "trace-42" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("trace-42");
    const timing = Object.fromEntries(
      (response.headers.get("server-timing") ?? "").split(", ").map((entry) => {
        const [name, dur] = entry.split(";dur=");
        return [name, Number(dur)];
      }),
    );
    expect(Object.keys(timing).sort()).toEqual(["auth", "db", "ratelimit", "total"]);
    expect(timing.db).toBeGreaterThan(0); // the key lookup and the read went to PostgreSQL
    expect(timing.total).toBeGreaterThanOrEqual(timing.auth as number);

    const insane = await fetch(`${base}/healthz`, { headers: { "x-request-id": "bad id\twith spaces" } });
    expect(insane.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("body size limit", () => {
  it("answers 413 with a typed error for a body over the limit, and nothing is written", async () => {
    const { orgId, key } = await orgWithKey();
    const teams = async () => Number((await admin.query("SELECT count(*) FROM teams WHERE organization_id = $1", [orgId])).rows[0].count);
    const response = await createTeam(orgId, key, "x".repeat(BODY_LIMIT * 2));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE", requestId: expect.any(String) } });
    expect(await teams()).toBe(0);
    // A body under the limit goes through (so the refusal above is the limit's).
    expect((await createTeam(orgId, key, "Platform")).status).toBe(200);
    expect(await teams()).toBe(1);
  });
});

describe("logs", () => {
  it("log one line per request with its request id, and no key material in any log line or error, whatever the key's fate", async () => {
    const stderr = vi.spyOn(process.stderr, "write");
    const stdout = vi.spyOn(process.stdout, "write");
    const limited = await orgWithKey(["org:read"], { rateLimitPerMinute: 1 });
    const revoked = await orgWithKey();
    await admin.query("UPDATE org_api_keys SET status = 'revoked', revoked_at = now() WHERE id = $1", [revoked.keyId]);
    const requestId = `log-${randomUUID()}`;
    const tampered = `${limited.key.slice(0, -2)}zz`;
    const answers = [
      await getOrg(limited.orgId, limited.key, { "x-request-id": requestId }),
      await getOrg(limited.orgId, limited.key), // over the limit: 429
      await getOrg(limited.orgId, tampered),
      await getOrg(revoked.orgId, revoked.key),
      await createTeam(limited.orgId, limited.key, "y".repeat(BODY_LIMIT * 2)),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 429, 401, 401, 413]);
    const bodies = await Promise.all(answers.map((r) => r.text()));

    const secret = process.env.API_KEY_SECRET as string;
    const material = [limited.key, tampered, revoked.key].flatMap((key) => [
      key,
      key.slice(key.lastIndexOf("_") + 1), // the random part alone
      createHmac("sha256", secret).update(key).digest("hex"), // what is stored
    ]);
    const printed = [...stderr.mock.calls, ...stdout.mock.calls].map((call) => String(call[0]));
    stderr.mockRestore();
    stdout.mockRestore();
    const everything = [...logLines, ...printed, ...bodies].join("\n");
    for (const secretPart of material) expect(everything).not.toContain(secretPart);

    const line = logLines.map((text) => JSON.parse(text)).find((entry) => entry.requestId === requestId);
    expect(line).toMatchObject({ msg: "request", status: 200, route: "/trpc/organization.get", path: "/trpc/organization.get" });
    expect(JSON.stringify(line)).not.toContain("input="); // the query string (tRPC input) is not logged
  });
});
