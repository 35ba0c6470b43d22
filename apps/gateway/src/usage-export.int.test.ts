import { randomUUID } from "node:crypto";
import { createMemoryStore, issueApiKey, recordUsage } from "@aihub/api";
import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayServer, listen } from "./server.js";

/**
 * The usage CSV over the gateway: `GET /v1/organizations/{orgId}/budgets/usage/export` for API
 * keys with usage:read — the breakdown's rows, exact money, a total row that equals the sum,
 * formula-looking names defused, and clean refusals (400, 403, 404) that never start a stream.
 */
let testDb: TestDatabase;
let base: string;
let server: ReturnType<typeof createGatewayServer>;
let orgId: string;
let reader: string;
let writerOnly: string;
const costs = [1_500_000n, 250_001n, 3n];
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  testDb = await createTestDatabase();
  server = createGatewayServer({ db: testDb.db, store: createMemoryStore() });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
  const { org, owner } = await createOrg(testDb.db);
  orgId = org.id;
  const access = { kind: "member" as const, memberId: owner.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
  const issue = async (scopes: ("usage:read" | "usage:write")[]) =>
    (await issueApiKey(testDb.db, { userId: owner.user.id, access }, { orgId, name: `k ${randomUUID()}`, scopes })).key;
  reader = await issue(["usage:read"]);
  writerOnly = await issue(["usage:write"]);
  for (const [i, cost] of costs.entries()) {
    await recordUsage({ db: testDb.db, orgId }, { subject: {}, charge: { cost, model: i === 0 ? "=cmd|' /C calc'!A0" : "gpt-x" } });
  }
});
afterAll(async () => {
  server?.close();
  await testDb?.drop();
});

const get = (query: string, key: string) =>
  fetch(`${base}/v1/organizations/${orgId}/budgets/usage/export?${query}`, { headers: { authorization: `Bearer ${key}` } });

/** RFC 4180 lines (no line breaks inside cells here), cells quoted or not, as a spreadsheet reads them. */
function parse(text: string): string[][] {
  return text
    .trimEnd()
    .split("\r\n")
    .map((line) => {
      const cells: string[] = [];
      let cell = "";
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (quoted && ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') quoted = !quoted;
        else if (ch === "," && !quoted) {
          cells.push(cell);
          cell = "";
        } else cell += ch;
      }
      cells.push(cell);
      return cells;
    });
}

describe("usage export", () => {
  it("streams the breakdown by model with exact money and a total row equal to the sum", async () => {
    const res = await get(`from=${today}&to=${today}&by=model`, reader);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="usage-by-model-/);
    const [header, ...rows] = parse(await res.text());
    expect(header).toEqual(["key", "label", "parent_id", "requests", "input_tokens", "output_tokens", "cost_micros", "cost", "currency"]);
    const total = rows.at(-1);
    const buckets = rows.slice(0, -1);
    expect(total?.[0]).toBe("total");
    const sum = costs.reduce((a, b) => a + b, 0n);
    expect(total?.[6]).toBe(sum.toString());
    expect(total?.[7]).toBe("1.750004");
    expect(buckets.reduce((a, r) => a + BigInt(r[6] as string), 0n)).toBe(sum);
    // The formula-looking model name is defused with a leading apostrophe.
    expect(buckets.map((r) => r[0]).sort()).toEqual(["'=cmd|' /C calc'!A0", "gpt-x"]);
    expect(buckets.find((r) => r[0] === "gpt-x")?.[7]).toBe("0.250004");
  });

  it("refuses a bad query, a key without usage:read and another organization before any row is sent", async () => {
    const bad = await get(`from=${today}&to=2000-01-01&by=model`, reader);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "BAD_REQUEST" } });
    const badGroup = await get(`from=${today}&to=${today}&by=everything`, reader);
    expect(badGroup.status).toBe(400);
    expect(await badGroup.json()).toMatchObject({ error: { fieldErrors: { by: expect.any(Array) } } });
    expect((await get(`from=${today}&to=${today}&by=model`, writerOnly)).status).toBe(403);
    const other = await fetch(`${base}/v1/organizations/${randomUUID()}/budgets/usage/export?from=${today}&to=${today}&by=day`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(other.status).toBe(404);
  });
});
