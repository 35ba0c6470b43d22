import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createMemoryStore, issueApiKey } from "@aihub/api";
import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayServer, listen } from "./server.js";

/**
 * The audit export over the gateway: `GET /v1/organizations/{orgId}/audit/export` for API keys
 * with audit:read, and what streaming 100,000 events costs a gateway running with a 64 MB heap.
 */
let testDb: TestDatabase;
let admin: pg.Client;
let base: string;
let server: ReturnType<typeof createGatewayServer>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  server = createGatewayServer({ db: testDb.db, store: createMemoryStore() });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
});
afterAll(async () => {
  server?.close();
  await admin?.end();
  await testDb?.drop();
});

async function orgWithKeys() {
  const { org, owner } = await createOrg(testDb.db);
  const access = { kind: "member" as const, memberId: owner.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
  const issue = async (scopes: ("audit:read" | "org:read")[]) =>
    (await issueApiKey(testDb.db, { userId: owner.user.id, access }, { orgId: org.id, name: `k ${randomUUID()}`, scopes })).key;
  return { orgId: org.id, reader: await issue(["audit:read"]), other: await issue(["org:read"]) };
}

/**
 * Appends `count` events to an organization's chain as a superuser, in multi-row INSERTs of
 * 5,000, hashing each as the spec defines it — sha256(previous hash, "\n", the event as JSON
 * with sorted keys) — written out here (objects built in key order; JSON.stringify keeps it),
 * so the product's own code is not what produces the chain it is checked against.
 */
async function insertEvents(orgId: string, count: number): Promise<void> {
  let prev: string | null = null;
  const start = Date.now() - count * 1000;
  for (let offset = 0; offset < count; offset += 5_000) {
    const cols: unknown[][] = [[], [], [], [], [], [], []];
    for (let i = offset; i < Math.min(count, offset + 5_000); i++) {
      const seq = String(i + 1);
      const createdAt = new Date(start + i * 1000).toISOString();
      const after = { name: `Team ${i}`, description: i % 7 === 0 ? "=formula-looking text, with a comma" : null };
      const targetId = randomUUID();
      const canonical = JSON.stringify({
        action: "team.updated",
        actorId: null,
        actorType: "system",
        after: { description: after.description, name: after.name },
        before: null,
        createdAt,
        ip: null,
        organizationId: orgId,
        requestId: `bulk-${seq}`,
        seq,
        targetId,
        targetType: "team",
        userAgent: null,
      });
      const hash: string = createHash("sha256")
        .update(`${prev ?? ""}\n${canonical}`)
        .digest("hex");
      for (const [k, v] of [seq, createdAt, targetId, JSON.stringify(after), `bulk-${seq}`, prev, hash].entries()) cols[k]?.push(v);
      prev = hash;
    }
    await admin.query(
      `INSERT INTO audit_events (organization_id, seq, created_at, target_id, after, request_id, prev_hash, hash, actor_type, action, target_type)
       SELECT $1::uuid, s, c, t, a::jsonb, r, p, h, 'system', 'team.updated', 'team'
         FROM unnest($2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(s, c, t, a, r, p, h)`,
      [orgId, ...cols],
    );
  }
}

const get = (orgId: string, key: string | null, query = "format=csv") =>
  fetch(`${base}/v1/organizations/${orgId}/audit/export?${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

/** Reads a streamed body to the end, counting lines without keeping them. */
async function countLines(response: Response): Promise<{ lines: number; bytes: number; first: string }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let lines = 0;
  let bytes = 0;
  let first = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (first.length < 300) first += Buffer.from(value.subarray(0, 300)).toString("utf8");
    bytes += value.length;
    for (const byte of value) if (byte === 10) lines += 1;
  }
  return { lines, bytes, first };
}

describe("audit export route", () => {
  it("streams CSV or JSON lines to a key with audit:read; 401, 403, 404 and 400 as the procedures answer", async () => {
    const { orgId, reader, other } = await orgWithKeys();
    const foreign = await orgWithKeys();
    await insertEvents(orgId, 25);

    const csv = await get(orgId, reader);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-.*\.csv"$/);
    expect(csv.headers.get("cache-control")).toBe("no-store");
    const text = await csv.text();
    const rows = text.split("\r\n");
    expect(rows[0]).toMatch(/^seq,created_at,actor_type/);
    expect(rows).toHaveLength(27); // header, 25 events, and the empty string after the last CRLF
    expect(text).toContain(`"{""description"":""=formula-looking text, with a comma"",""name"":""Team 0""}"`);

    const jsonl = await get(orgId, reader, "format=jsonl&targetType=team&from=2000-01-01T00:00:00Z");
    expect(jsonl.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const events = (await jsonl.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => String(i + 1)));

    expect((await get(orgId, null)).status).toBe(401);
    expect((await get(orgId, "aih_not_a_real_key")).status).toBe(401);
    expect((await get(orgId, other)).status).toBe(403);
    expect((await get(orgId, foreign.reader)).status).toBe(404);
    const bad = await get(orgId, reader, "format=xml");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fieldErrors: Record<string, string[]> } }).error.fieldErrors.format).toBeDefined();
    expect((await fetch(`${base}/v1/organizations/${orgId}/audit/export`, { method: "POST" })).status).toBe(405);
  });
});

describe("exporting 100,000 events", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.send("exit");
  });

  const message = <T>(kind: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { kind?: string }) => {
        if (m.kind !== kind) return;
        child?.off("message", onMessage);
        resolve(m as T);
      };
      child?.on("message", onMessage);
      child?.once("exit", (code) => reject(new Error(`the gateway child exited (${code}) before sending ${kind}`)));
    });

  it("streams them from a gateway with a 64 MB heap, holding a page at a time", { timeout: 300_000 }, async () => {
    const { orgId, reader } = await orgWithKeys();
    const inserting = Date.now();
    await insertEvents(orgId, 100_000);
    const insertMs = Date.now() - inserting;

    child = spawn(
      process.execPath,
      [
        "--max-old-space-size=64",
        "--expose-gc",
        "--import",
        "tsx",
        fileURLToPath(new URL("./testing/export-memory-child.ts", import.meta.url)),
      ],
      {
        cwd: fileURLToPath(new URL("..", import.meta.url)),
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: fileURLToPath(new URL("../tsconfig.sources.json", import.meta.url)),
          AIHUB_CHILD_DATABASE_URL: testDb.appUrl,
        },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      },
    );
    const { port } = await message<{ port: number }>("ready");
    const url = (format: string) => `http://127.0.0.1:${port}/v1/organizations/${orgId}/audit/export?format=${format}`;
    const headers = { authorization: `Bearer ${reader}` };

    // Warm up (key lookup, Prisma's first queries), then measure from a settled heap.
    await countLines(await fetch(`${url("csv")}&to=2000-01-01T00:00:00Z`, { headers }));
    child.send("reset");
    const { heapUsed: baseline } = await message<{ heapUsed: number }>("reset");

    const started = Date.now();
    const csv = await countLines(await fetch(url("csv"), { headers }));
    const csvMs = Date.now() - started;
    const jsonStarted = Date.now();
    const jsonl = await countLines(await fetch(url("jsonl"), { headers }));
    const jsonlMs = Date.now() - jsonStarted;
    child.send("report");
    const { peakHeap, peakRss, heapLimit } = await message<{ peakHeap: number; peakRss: number; heapLimit: number }>("report");

    const mb = (n: number) => Math.round((n / 1_048_576) * 10) / 10;
    console.info(
      JSON.stringify({
        events: 100_000,
        insertMs,
        csv: { ms: csvMs, lines: csv.lines, mb: mb(csv.bytes) },
        jsonl: { ms: jsonlMs, lines: jsonl.lines, mb: mb(jsonl.bytes) },
        child: { heapLimitMb: mb(heapLimit), baselineHeapMb: mb(baseline), peakHeapMb: mb(peakHeap), peakRssMb: mb(peakRss) },
      }),
    );
    expect(csv.lines).toBe(100_001); // the header and every event
    expect(csv.first).toMatch(/^seq,created_at/);
    expect(jsonl.lines).toBe(100_000);
    // Both exports together are larger than the child's 64 MB old space; what they add on top of
    // the server's own heap stays within a few pages (measured: about 17 MB at 1,000 per page).
    expect(csv.bytes + jsonl.bytes).toBeGreaterThan(64 * 1_048_576);
    expect(peakHeap).toBeLessThan(64 * 1_048_576);
    expect(peakHeap - baseline).toBeLessThan(24 * 1_048_576);
  });
});
