import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { createCaller, createInnerContext, createRedisStore, issueApiKey } from "@aihub/api";
import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The gateway as it runs in production (`main.ts`): separate processes sharing Redis and
 * PostgreSQL, a cluster of workers, and a graceful stop.
 */
const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url)); // where tsx resolves
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let testDb: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await testDb.drop();
});

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

/** Starts `main.ts` with `workers` workers; resolves once every worker answers /readyz. */
async function startGateway(workers: number): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const port = await freePort();
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: testDb.appUrl,
      REDIS_URL,
      // This file checks exactness across processes, not Redis latency: on a loaded test machine
      // a 100 ms command timeout would send some counts to the per-process fallback.
      REDIS_COMMAND_TIMEOUT_MS: "2000",
      GATEWAY_PORT: String(port),
      GATEWAY_WORKERS: String(workers),
      GATEWAY_SHUTDOWN_TIMEOUT_MS: "5000",
      LOG_LEVEL: "info",
      NODE_ENV: "production",
    },
    cwd: PACKAGE_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  let listening = 0;
  while (listening < workers) {
    if (child.exitCode !== null) throw new Error(`gateway exited: ${output}`);
    if (Date.now() > deadline) throw new Error(`gateway did not start: ${output}`);
    listening = output.split("\n").filter((line) => line.includes("Gateway listening")).length;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, base, output: () => output };
}

async function keyWithLimit(rateLimitPerMinute: number) {
  const { org, owner } = await createOrg(testDb.db);
  const access = { kind: "member" as const, memberId: owner.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
  const { key, record } = await issueApiKey(
    testDb.db,
    { userId: owner.user.id, access },
    { orgId: org.id, name: "svc", scopes: ["org:read"], rateLimitPerMinute },
  );
  return { orgId: org.id, key, keyId: record.id, ownerId: owner.user.id };
}

const getOrg = (base: string, orgId: string, key: string) =>
  fetch(`${base}/trpc/organization.get?input=${encodeURIComponent(JSON.stringify({ json: { orgId } }))}`, {
    headers: { authorization: `Bearer ${key}` },
  });

describe("two gateway processes", () => {
  let a: Awaited<ReturnType<typeof startGateway>>;
  let b: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    [a, b] = await Promise.all([startGateway(1), startGateway(1)]);
  });
  afterAll(async () => {
    a.child.kill("SIGTERM");
    b.child.kill("SIGTERM");
    await Promise.all([once(a.child, "exit"), once(b.child, "exit")]);
  });

  it("let exactly N of 3×N concurrent calls through a key limited to N per minute, the rest 429 with Retry-After", async () => {
    const N = 7;
    const { orgId, key } = await keyWithLimit(N);
    const answers = await Promise.all(Array.from({ length: 3 * N }, (_, i) => getOrg(i % 2 ? a.base : b.base, orgId, key)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(N);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2 * N);
    for (const refused of answers.filter((r) => r.status === 429)) {
      const retryAfter = Number(refused.headers.get("retry-after"));
      // GCRA over 60 s for N requests: the next slot frees within 60 / N seconds.
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(Math.ceil(60 / N));
    }
  });

  it("a key revoked through one process is refused by both on their very next call (their caches were warm)", async () => {
    const { orgId, key, keyId, ownerId } = await keyWithLimit(1_000);
    for (const gateway of [a, b]) {
      expect((await getOrg(gateway.base, orgId, key)).status).toBe(200);
      expect((await getOrg(gateway.base, orgId, key)).status).toBe(200); // now served from the shared cache
    }
    const store = createRedisStore(REDIS_URL);
    try {
      const owner = createCaller(createInnerContext({ db: testDb.db, store, identity: { kind: "user", userId: ownerId } }));
      await owner.apiKey.revoke({ orgId, apiKeyId: keyId });
    } finally {
      await store.close();
    }
    expect((await getOrg(a.base, orgId, key)).status).toBe(401);
    expect((await getOrg(b.base, orgId, key)).status).toBe(401);
  });
});

describe("a cluster of workers", () => {
  it("starts the workers asked for, reports metrics for all of them together, and drains in-flight requests on SIGTERM", async () => {
    const gateway = await startGateway(2);
    const workerPids = new Set(
      gateway
        .output()
        .split("\n")
        .filter((line) => line.includes("Gateway listening"))
        .map((line) => JSON.parse(line).pid),
    );
    expect(workerPids.size).toBe(2);
    expect(workerPids.has(gateway.child.pid)).toBe(false);

    const calls = 40;
    for (let i = 0; i < calls; i++) expect((await fetch(`${gateway.base}/healthz`, { headers: { connection: "close" } })).status).toBe(200);
    const metrics = await (await fetch(`${gateway.base}/metrics`)).text();
    const healthz = metrics
      .split("\n")
      .find((line) => line.startsWith("aihub_gateway_http_requests_total{") && line.includes('route="/healthz"'));
    // Summed over the workers: every call counted once. (The primary hands new connections to the
    // workers in turn, so each served about half: one worker's registry alone would say ~20.)
    expect(Number(healthz?.split(" ").pop())).toBe(calls);

    // A request in flight (its body half sent) when SIGTERM arrives still gets its answer.
    const { orgId, key } = await keyWithLimit(100);
    const body = JSON.stringify({ json: { orgId, name: "Drained" } });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(`${gateway.base}/trpc/team.create`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${key}` },
      });
      request.on("response", (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      });
      request.on("error", reject);
      request.write(body.slice(0, 10));
      setTimeout(() => {
        gateway.child.kill("SIGTERM");
        setTimeout(() => request.end(body.slice(10)), 500);
      }, 300);
    });
    const exited = once(gateway.child, "exit");
    const { status } = await answer;
    expect(status).toBe(403); // the key lacks team:create: answered, not cut
    const [code] = await exited;
    expect(code).toBe(0);
    expect(gateway.output()).toContain("stopped after draining");
    await expect(fetch(`${gateway.base}/healthz`)).rejects.toThrow();
  });
});
