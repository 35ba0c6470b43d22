import { randomUUID } from "node:crypto";
import { createRedisStore, issueApiKey, type Store } from "@aihub/api";
import { createOrg, createTeam, createTestDatabase, startRedisProxy, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway, listen } from "./server.js";

/**
 * The budget race over HTTP with Redis cut in the middle: API keys charge `usage.record` through
 * the gateway (key verification, rate limit and permission caches on Redis, behind a test proxy
 * — never the machine's Redis itself), and after 30 of the calls the proxy drops every
 * connection and refuses new ones. PostgreSQL alone decides spend, so: no call fails with a
 * server error, no budget is overspent, and the callers' successes, the counters and the usage
 * rows agree exactly.
 */
const M = 1_000_000n;
let testDb: TestDatabase;
let admin: pg.Client;
let gateway: Gateway;
let store: Store;
let base: string;
let proxy: Awaited<ReturnType<typeof startRedisProxy>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  proxy = await startRedisProxy();
  store = createRedisStore(proxy.url);
  gateway = createGateway({ db: testDb.db, store });
  base = `http://127.0.0.1:${await listen(gateway.server, 0)}`;
});
afterAll(async () => {
  gateway?.server.close();
  await proxy?.stop().catch(() => {});
  await admin?.end();
  await testDb?.drop();
});

/** A deterministic pseudo-random source, so a failing run can be repeated. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("budgets with Redis cut mid-run", () => {
  it("never overspends a team and an organization budget while Redis goes away under 300 keyed calls", async () => {
    const { org, owner } = await createOrg(testDb.db, { name: "Cut Co" });
    const team = await createTeam(testDb.db, { orgId: org.id });
    const access = { kind: "member" as const, memberId: owner.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
    const issue = async (teamId: string | null) =>
      (
        await issueApiKey(
          testDb.db,
          { userId: owner.user.id, access },
          { orgId: org.id, name: `k ${randomUUID()}`, scopes: ["usage:write"], teamId, rateLimitPerMinute: 100_000 },
        )
      ).key;
    const keys = [await issue(team.id), await issue(null)];
    const budgets = new Map<string, bigint>([
      ["organization", 100n * M],
      ["team", 60n * M],
    ]);
    for (const [scope, limit] of budgets) {
      await admin.query("INSERT INTO budgets (organization_id, scope, scope_id, period_limit) VALUES ($1, $2::budget_scope, $3, $4)", [
        org.id,
        scope,
        scope === "team" ? team.id : org.id,
        limit,
      ]);
    }

    const rnd = random(5);
    const calls = Array.from({ length: 300 }, (_, i) => ({
      key: keys[i % 2] as string,
      cost: 1n + BigInt(Math.floor(rnd() * 3_000_000)),
      id: `c-${i}`,
    }));
    const outcomes: { status: number; cost: bigint; teamBound: boolean; body: { cost?: string; usageRecordId?: string } }[] = [];
    let done = 0;
    let next = 0;
    const worker = async () => {
      while (next < calls.length) {
        const call = calls[next++] as (typeof calls)[number];
        const response = await fetch(`${base}/v1/organizations/${org.id}/budgets/usage`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${call.key}` },
          body: JSON.stringify({ cost: call.cost.toString(), idempotencyKey: call.id }),
        });
        outcomes.push({
          status: response.status,
          cost: call.cost,
          teamBound: call.key === keys[0],
          body: (await response.json()) as { cost?: string; usageRecordId?: string },
        });
        // Cut while both budgets still have room (30 calls of ≤ 3.00 each cannot spend the team's 60.00).
        if (++done === 30) await proxy.stop();
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));

    const byStatus: Record<string, typeof outcomes> = {};
    for (const o of outcomes) byStatus[String(o.status)] = [...(byStatus[String(o.status)] ?? []), o];
    console.info(
      `redis cut after 30 of 300 calls: ${Object.entries(byStatus)
        .map(([s, list]) => `${s}×${list?.length}`)
        .join(", ")}`,
    );
    // Every call ended as charged or refused for its budget: no server error, nothing unavailable.
    expect(Object.keys(byStatus).sort()).toEqual(["200", "402"]);
    const successes = byStatus["200"] ?? [];
    expect(successes.length).toBeGreaterThan(0);
    expect(successes.every((o) => o.body.cost === o.cost.toString())).toBe(true);

    const counters = await admin.query<{ scope: string; spend: string; reserved: string }>(
      "SELECT b.scope::text, p.spend::text, p.reserved::text FROM budget_periods p JOIN budgets b ON b.id = p.budget_id WHERE p.organization_id = $1",
      [org.id],
    );
    const spendOf = (scope: string) => BigInt(counters.rows.find((r) => r.scope === scope)?.spend ?? "-1");
    const sum = (list: typeof outcomes) => list.reduce((a, o) => a + o.cost, 0n);
    expect(spendOf("organization")).toBe(sum(successes));
    expect(spendOf("team")).toBe(sum(successes.filter((o) => o.teamBound)));
    for (const [scope, limit] of budgets) expect(spendOf(scope) <= limit, `${scope} within ${limit}`).toBe(true);
    const rows = await admin.query<{ n: number; total: string }>(
      "SELECT count(*)::int AS n, coalesce(sum(cost), 0)::text AS total FROM usage_records WHERE organization_id = $1",
      [org.id],
    );
    expect(rows.rows[0]).toEqual({ n: successes.length, total: sum(successes).toString() });
    expect(new Set(successes.map((o) => o.body.usageRecordId)).size).toBe(successes.length);
  }, 120_000);
});
