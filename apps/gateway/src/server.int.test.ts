import type { AddressInfo } from "node:net";
import { createDatabase } from "@aihub/db";
import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayServer, listen } from "./server.js";

let testDb: TestDatabase;
let base: string;
let server: ReturnType<typeof createGatewayServer>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  server = createGatewayServer({ db: testDb.db });
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
    expect(await ready.json()).toMatchObject({ status: "ready", database: { reachable: true, backend: "postgresql" } });

    const health = await fetch(`${base}/trpc/health`, { headers: { "x-request-id": "req-123" } });
    expect(health.headers.get("x-request-id")).toBe("req-123");
    const body = await health.json();
    expect(body.result.data.json).toMatchObject({ status: "ok", database: { reachable: true } });
  });

  it("reports not ready, without a stack trace, when the database is unreachable", async () => {
    const dead = createDatabase({ url: "postgresql://aihub_app@127.0.0.1:1/none" });
    const deadServer = createGatewayServer({ db: dead });
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
    const body = await missing.json();
    expect(body.error.json.data).toMatchObject({ code: "NOT_FOUND" });
    expect(JSON.stringify(body)).not.toContain("stack");
    expect((server.address() as AddressInfo).port).toBeGreaterThan(0);
  });
});
