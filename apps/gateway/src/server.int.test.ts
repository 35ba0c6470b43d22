import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createMemoryStore, issueApiKey, type Store } from "@aihub/api";
import { parseTrustProxy } from "@aihub/api/config";
import { createDatabase } from "@aihub/db";
import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayServer, listen } from "./server.js";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected loosely in these tests
const readJson = (response: Response): Promise<any> => response.json();

let testDb: TestDatabase;
let base: string;
let server: ReturnType<typeof createGatewayServer>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  server = createGatewayServer({ db: testDb.db, store: createMemoryStore() });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
});
afterAll(async () => {
  server.close();
  await testDb.drop();
});

describe("gateway server", () => {
  it("answers liveness, readiness with the database, and the router's health at /trpc", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await readJson(ready)).toMatchObject({
      status: "ready",
      database: { reachable: true, backend: "postgresql" },
      store: { reachable: true },
    });

    const health = await fetch(`${base}/trpc/health`, { headers: { "x-request-id": "req-123" } });
    expect(health.headers.get("x-request-id")).toBe("req-123");
    const body = await readJson(health);
    expect(body.result.data.json).toMatchObject({ status: "ok", database: { reachable: true } });
  });

  it("reports not ready, without a stack trace, when the database is unreachable", async () => {
    const dead = createDatabase({ url: "postgresql://aihub_app@127.0.0.1:1/none" });
    const deadServer = createGatewayServer({ db: dead, store: createMemoryStore() });
    const port = await listen(deadServer, 0);
    try {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
      const text = await ready.text();
      expect(text).toContain('"reachable":false');
      expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
    } finally {
      deadServer.close();
      await dead.close();
    }
  });

  it("returns typed errors for unknown routes and procedures", async () => {
    const unknown = await fetch(`${base}/nope`);
    expect(unknown.status).toBe(404);
    const missing = await fetch(`${base}/trpc/no.such.procedure`);
    expect(missing.status).toBe(404);
    const body = await readJson(missing);
    expect(body.error.json.data).toMatchObject({ code: "NOT_FOUND" });
    expect(JSON.stringify(body)).not.toContain("stack");
    expect((server.address() as AddressInfo).port).toBeGreaterThan(0);
  });
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ json: body }) });

describe("gateway errors and API keys", () => {
  it("returns validation problems field by field, with no stack trace", async () => {
    const response = await post(`${base}/trpc/account.signUp`, { email: "not-an-email", password: "short", name: "X", role: "owner" });
    expect(response.status).toBe(400);
    const { error } = await readJson(response);
    expect(error.json.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(error.json.data.fieldErrors).sort()).toEqual(["", "email", "password"]);
    expect(JSON.stringify(error)).not.toMatch(/stack|\.ts:\d+/);
  });

  it("answers 503 with the request id when the database is unreachable, and nothing of the failure", async () => {
    const dead = createDatabase({ url: "postgresql://aihub_app@127.0.0.1:1/none" });
    const deadServer = createGatewayServer({ db: dead, store: createMemoryStore() });
    const port = await listen(deadServer, 0);
    try {
      const response = await post(
        `http://127.0.0.1:${port}/trpc/account.verifyEmail`,
        { token: "x".repeat(40) },
        { "x-request-id": "req-masked-1" },
      );
      expect(response.status).toBe(503);
      const { error } = await readJson(response);
      expect(error.json.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", requestId: "req-masked-1" });
      expect(JSON.stringify(error)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack|prisma/i);
    } finally {
      deadServer.close();
      await dead.close();
    }
  });

  it("masks internal failures behind the request id", async () => {
    // A database handle whose every use fails with an error that is not about reaching it.
    const failing = (): never => {
      throw new Error("internal detail 42 at secret.ts:10");
    };
    const queries = new Set(["prisma", "withTenant", "forTenant", "tenantRead", "tenantBatch"]);
    const broken = new Proxy(testDb.db, {
      get: (target, prop) => (queries.has(String(prop)) ? new Proxy(failing, { get: failing }) : Reflect.get(target, prop)),
    });
    const brokenServer = createGatewayServer({ db: broken, store: createMemoryStore() });
    const port = await listen(brokenServer, 0);
    try {
      const response = await post(
        `http://127.0.0.1:${port}/trpc/account.verifyEmail`,
        { token: "x".repeat(40) },
        { "x-request-id": "req-masked-2" },
      );
      expect(response.status).toBe(500);
      const { error } = await readJson(response);
      expect(error.json.message).toBe("Something went wrong on our side. Request id: req-masked-2");
      expect(JSON.stringify(error)).not.toMatch(/internal detail|secret\.ts|stack/i);
    } finally {
      brokenServer.close();
    }
  });

  it("authenticates organization API keys and confines them to their org and scopes", async () => {
    const { org, owner } = await createOrg(testDb.db);
    const ownerAccess = { kind: "member" as const, memberId: owner.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
    const { key } = await issueApiKey(
      testDb.db,
      { userId: owner.user.id, access: ownerAccess },
      { orgId: org.id, name: "ci", scopes: ["member:update_permissions"] },
    );
    const explain = (orgId: string, bearer: string) =>
      fetch(
        `${base}/trpc/permission.explain?input=${encodeURIComponent(JSON.stringify({ json: { orgId, subject: { userId: owner.user.id }, permission: "org:delete" } }))}`,
        {
          headers: { authorization: `Bearer ${bearer}` },
        },
      );
    const ok = await explain(org.id, key);
    expect(ok.status).toBe(200);
    expect((await readJson(ok)).result.data.json).toMatchObject({ allowed: true });

    const other = await createOrg(testDb.db);
    expect((await explain(other.org.id, key)).status).toBe(404);
    expect((await explain(org.id, `${key.slice(0, -1)}x`)).status).toBe(401);
    expect((await explain(org.id, "aih_live_nonsense")).status).toBe(401);
    const me = await fetch(`${base}/trpc/me.get`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(403);
  });
});

describe("gateway client address", () => {
  const signUp = (url: string, forwardedFor: string) =>
    post(
      `${url}/trpc/account.signUp`,
      { email: `xff-${randomUUID().slice(0, 12)}@example.com`, password: "correct-horse-battery-staple", name: "Spoofer" },
      { "x-forwarded-for": forwardedFor },
    );

  /** A memory store that remembers which rate-limit keys were counted. */
  function recordingStore(): { store: Store; keys: string[] } {
    const inner = createMemoryStore();
    const keys: string[] = [];
    const store: Store = Object.create(inner);
    store.hit = (key, windowSeconds) => {
      keys.push(key);
      return inner.hit(key, windowSeconds);
    };
    return { store, keys };
  }

  it("by default ignores X-Forwarded-For: a new spoofed address per request does not evade the per-IP limit", async () => {
    const { store, keys } = recordingStore();
    const spoofable = createGatewayServer({ db: testDb.db, store, trustProxy: parseTrustProxy(undefined) });
    const url = `http://127.0.0.1:${await listen(spoofable, 0)}`;
    try {
      const statuses: number[] = [];
      // The sign-up limit is 10 per address per 10 minutes; every request claims another address.
      for (let i = 1; i <= 11; i++) statuses.push((await signUp(url, `203.0.113.${i}`)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(statuses[10]).toBe(429);
      const perIp = keys.filter((key) => key.startsWith("ratelimit:sign-up:ip:"));
      expect(new Set(perIp)).toEqual(new Set(["ratelimit:sign-up:ip:127.0.0.1"]));
    } finally {
      spoofable.close();
    }
  });

  it("behind a trusted proxy (TRUST_PROXY), counts the address the proxy reports, not the client's claim", async () => {
    const { store, keys } = recordingStore();
    const proxied = createGatewayServer({ db: testDb.db, store, trustProxy: parseTrustProxy("127.0.0.1/32, ::1") });
    const url = `http://127.0.0.1:${await listen(proxied, 0)}`;
    try {
      expect((await signUp(url, "6.6.6.6, 198.51.100.23")).status).toBe(200);
      expect(keys).toContain("ratelimit:sign-up:ip:198.51.100.23");
      expect(keys.some((key) => key.includes("6.6.6.6"))).toBe(false);
    } finally {
      proxied.close();
    }
  });
});
