import { recordUsage } from "@aihub/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { costOf, createModelWorld, MODEL, type ModelWorld, orgCounter, reservationsOf, settled } from "./testing/model-world.js";

/**
 * 200 concurrent chat calls through the gateway against an organization budget with little
 * left: each call holds its largest possible cost before it reaches the provider, so the budget
 * is never overspent, the refused calls are 402 before any provider call, and the recorded spend
 * is exactly the sum of the successful calls' usage (1 micro-unit per input token, 2 per output).
 */
let w: ModelWorld;
beforeAll(async () => {
  w = await createModelWorld();
});
afterAll(() => w?.close());

const LIMIT = 50_000n;
const LEFT = 3_000n;

describe("model calls against a nearly spent budget (fake upstream)", () => {
  it("never overspends under 200 concurrent calls; the successes sum to the recorded spend", async () => {
    const key = await w.key();
    await w.owner.budget.set({ orgId: w.orgId, scope: "organization", periodLimit: String(LIMIT), hardLimit: true });
    await recordUsage({ db: w.testDb.db, orgId: w.orgId }, { subject: {}, charge: { cost: LIMIT - LEFT, model: "earlier" } });
    w.fake.behaviour.usage = { prompt_tokens: 30, completion_tokens: 8 };
    w.fake.behaviour.latencyMs = 5;
    const before = await orgCounter(w);
    expect(before.spend).toBe(LIMIT - LEFT);

    const unexpected: string[] = [];
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const res = await fetch(`${w.base}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: `call ${i}` }], max_tokens: 10 }),
        });
        const body = (await res.json()) as { error?: { code?: string } };
        if (res.status === 402) expect(body.error?.code).toBe("budget_exceeded");
        if (res.status !== 200 && res.status !== 402) unexpected.push(`${res.status} ${body.error?.code}`);
        return res.status;
      }),
    );
    expect(unexpected).toEqual([]);
    const ok = statuses.filter((s) => s === 200).length;
    const refused = statuses.filter((s) => s === 402).length;
    expect(ok + refused).toBe(200);
    expect(ok).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);

    const after = await orgCounter(w);
    expect(after.spend).toBeLessThanOrEqual(LIMIT);
    expect(after.reserved).toBe(0n);
    expect(after.spend - before.spend).toBe(BigInt(ok) * costOf(30, 8));
    // Only the successes reached the provider, and each left exactly one settled reservation.
    expect(w.fake.requests).toHaveLength(ok);
    const rows = await reservationsOf(w, key);
    expect(rows.filter((r) => r.state === "settled")).toHaveLength(ok);
    expect(rows.every((r) => r.state === "settled")).toBe(true);
    const { rows: records } = await w.admin.query<{ n: number; cost: string }>(
      "SELECT count(*)::int AS n, coalesce(sum(cost), 0)::text AS cost FROM usage_records WHERE api_key_id = $1",
      [w.idOf(key)],
    );
    expect(records[0]).toEqual({ n: ok, cost: String(BigInt(ok) * costOf(30, 8)) });
  });
  it("never overspends under 100 concurrent streamed calls, each settled from its usage chunk after its last byte", async () => {
    const key = await w.key();
    const start = await orgCounter(w);
    const limit = start.spend + LEFT;
    await w.owner.budget.set({ orgId: w.orgId, scope: "organization", periodLimit: String(limit), hardLimit: true });
    w.fake.reset();
    w.fake.behaviour.usage = { prompt_tokens: 25, completion_tokens: 6 };
    const unexpected: string[] = [];
    const statuses = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const res = await fetch(`${w.base}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: `stream ${i}` }], max_tokens: 10, stream: true }),
        });
        const text = await res.text();
        if (res.status === 200 && !text.includes("data: [DONE]")) unexpected.push("200 without [DONE]");
        if (res.status !== 200 && res.status !== 402) unexpected.push(`${res.status} ${text.slice(0, 200)}`);
        return res.status;
      }),
    );
    expect(unexpected).toEqual([]);
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(100);
    const rows = await settled(w, key);
    expect(rows.filter((r) => r.state === "settled")).toHaveLength(ok);
    const after = await orgCounter(w);
    expect(after.spend).toBeLessThanOrEqual(limit);
    expect(after.reserved).toBe(0n);
    expect(after.spend - start.spend).toBe(BigInt(ok) * costOf(25, 6));
  });
});
