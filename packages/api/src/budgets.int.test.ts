import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createOrg, createTeam, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "./errors.js";
import { checkBudget, release, releaseExpiredReservations, reserve, settle } from "./services/budgets/reservations.js";
import { ensureUsagePartitions, recordUsage } from "./services/usage/record.js";
import { rollupUsageDay } from "./services/usage/rollup.js";
import { runSpendJobs, type SpendJob, type SpendOutcome } from "./testing/spend-jobs.js";

/**
 * Budgets and spend against the real database (docs/budgets.md): no hard budget is ever
 * overspent under concurrent reserve/settle and record calls from two processes; a refusal
 * charges nothing anywhere; settling and recording are idempotent; expired holds come back;
 * periods follow the calendar in the organization's time zone.
 */
let testDb: TestDatabase;
let admin: pg.Client;
beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  // The fixed dates below (Nov 2026 to Apr 2027) have partitions whatever day the tests run.
  await ensureUsagePartitions({ db: testDb.db }, new Date("2026-10-01T00:00:00Z"), 8);
});
afterAll(async () => {
  await admin?.end();
  await testDb?.drop();
});

const M = 1_000_000n; // micro-units per currency unit

async function newOrg(timezone = "UTC") {
  const org = await createOrg(testDb.db, { members: [{ role: "member" }] });
  await admin.query("UPDATE organizations SET timezone = $2 WHERE id = $1", [org.org.id, timezone]);
  return org;
}

async function setBudget(orgId: string, scope: string, scopeId: string, limit: bigint, hard = true): Promise<string> {
  const { rows } = await admin.query<{ id: string }>(
    "INSERT INTO budgets (organization_id, scope, scope_id, period_limit, hard_limit) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [orgId, scope, scopeId, limit.toString(), hard],
  );
  return rows[0]?.id as string;
}

async function counter(budgetId: string, period: string): Promise<{ spend: bigint; reserved: bigint } | null> {
  const { rows } = await admin.query<{ spend: string; reserved: string }>(
    "SELECT spend::text, reserved::text FROM budget_periods WHERE budget_id = $1 AND period_start = $2::date",
    [budgetId, period],
  );
  const row = rows[0];
  return row ? { spend: BigInt(row.spend), reserved: BigInt(row.reserved) } : null;
}

async function usageRows(orgId: string): Promise<{ id: string; cost: bigint; team_id: string | null; period_start: string }[]> {
  const { rows } = await admin.query<{ id: string; cost: string; team_id: string | null; period_start: string }>(
    "SELECT id, cost::text, team_id, to_char(period_start, 'YYYY-MM-DD') AS period_start FROM usage_records WHERE organization_id = $1",
    [orgId],
  );
  return rows.map((r) => ({ ...r, cost: BigInt(r.cost) }));
}

async function refusal(call: Promise<unknown>): Promise<DomainError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("the call was not refused");
}

/** A deterministic pseudo-random source, so a failing run can be repeated. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function makeJobs(orgId: string, subjects: SpendJob["subject"][], count: number, seed: number): SpendJob[] {
  const rnd = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const amount = 1n + BigInt(Math.floor(rnd() * 3_000_000)); // up to 3.00
    const subject = subjects[i % subjects.length] as SpendJob["subject"];
    if (rnd() < 0.5) return { orgId, subject, kind: "record", amount: amount.toString() };
    const actual = BigInt(Math.floor(rnd() * Number(amount + 1n)));
    return { orgId, subject, kind: "reserve", amount: amount.toString(), actual: actual.toString() };
  });
}

const workerPath = fileURLToPath(new URL("./testing/spend-worker.ts", import.meta.url));
const tsxPath = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

/** Runs jobs in a second process (its own connection pool). */
async function inChildProcess(jobs: SpendJob[]): Promise<SpendOutcome[]> {
  const { stdout } = await promisify(execFile)(tsxPath, [workerPath], {
    env: { ...process.env, SPEND_DB_URL: testDb.appUrl, SPEND_JOBS: JSON.stringify(jobs) },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) as string) as SpendOutcome[];
}

/** 500 calls: 400 through this process's pool (20 in flight, the pool size), 100 from a second process (8 in flight, its pool size), at the same time. */
async function race(jobs: SpendJob[]): Promise<SpendOutcome[]> {
  const here = jobs.slice(0, 400);
  const there = jobs.slice(400);
  const [a, b] = await Promise.all([runSpendJobs(testDb.db, here), inChildProcess(there)]);
  return [...a, ...b];
}

const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

describe("budget race", () => {
  it("never overspends a hard budget of 100.00 under 500 concurrent calls from two processes; refusals charge nothing", async () => {
    const org = await newOrg();
    const orgId = org.org.id;
    const limit = 100n * M;
    const budgetId = await setBudget(orgId, "organization", orgId, limit);
    const outcomes = await race(makeJobs(orgId, [{ memberId: org.owner.member.id }], 500, 7));

    const successes = outcomes.filter((o) => o.ok);
    const refusals = outcomes.filter((o) => !o.ok);
    const charged = sum(successes.map((o) => BigInt(o.charged)));
    const rows = await usageRows(orgId);
    const c = await counter(budgetId, rows[0]?.period_start as string);
    console.info(
      `race (org budget): ${outcomes.length} calls, ${successes.length} succeeded, ${refusals.length} refused, spend ${c?.spend} of ${limit}`,
    );
    expect(outcomes).toHaveLength(500);
    expect(successes.length).toBeGreaterThan(0);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((o) => o.refusedScope === "organization")).toBe(true);
    // The counter, the usage rows and the callers' successes agree exactly, within the limit.
    expect(c?.spend).toBe(charged);
    expect(c?.reserved).toBe(0n);
    expect(charged).toBeLessThanOrEqual(limit);
    expect(sum(rows.map((r) => r.cost))).toBe(charged);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(successes.map((o) => o.usageRecordId)));
    // A refused reservation left no hold behind; every made one is settled.
    const held = await admin.query<{ state: string; n: number }>(
      "SELECT state::text, count(*)::int AS n FROM budget_reservations WHERE organization_id = $1 GROUP BY 1",
      [orgId],
    );
    const madeReservations = successes.filter((o) => o.kind === "reserve").length;
    expect(held.rows).toEqual(madeReservations ? [{ state: "settled", n: madeReservations }] : []);
  }, 120_000);

  it("keeps a team budget and the organization budget both within their limits when both bind", async () => {
    const org = await newOrg();
    const orgId = org.org.id;
    const team = await createTeam(testDb.db, { orgId, members: [{ memberId: org.owner.member.id }] });
    const orgLimit = 100n * M;
    const teamLimit = 60n * M;
    const orgBudget = await setBudget(orgId, "organization", orgId, orgLimit);
    const teamBudget = await setBudget(orgId, "team", team.id, teamLimit);
    const inTeam = { memberId: org.owner.member.id, teamId: team.id };
    const noTeam = { memberId: (org.members[1] ?? org.owner).member.id };
    const outcomes = await race(makeJobs(orgId, [inTeam, noTeam, inTeam], 500, 11));

    const rows = await usageRows(orgId);
    const successes = outcomes.filter((o) => o.ok);
    const period = rows[0]?.period_start as string;
    const orgCounter = await counter(orgBudget, period);
    const teamCounter = await counter(teamBudget, period);
    const teamRows = rows.filter((r) => r.team_id === team.id);
    console.info(
      `race (team ${teamLimit} + org ${orgLimit}): ${outcomes.length} calls, ${successes.length} succeeded, ${outcomes.length - successes.length} refused, team spend ${teamCounter?.spend}, org spend ${orgCounter?.spend}`,
    );
    expect(orgCounter?.spend).toBe(sum(successes.map((o) => BigInt(o.charged))));
    expect(orgCounter?.spend).toBe(sum(rows.map((r) => r.cost)));
    expect(teamCounter?.spend).toBe(sum(teamRows.map((r) => r.cost)));
    expect(orgCounter?.spend).toBeLessThanOrEqual(orgLimit);
    expect(teamCounter?.spend).toBeLessThanOrEqual(teamLimit);
    expect(orgCounter?.reserved).toBe(0n);
    expect(teamCounter?.reserved).toBe(0n);
    const scopes = new Set(outcomes.filter((o) => !o.ok).map((o) => o.refusedScope));
    expect(scopes).toEqual(new Set(["team", "organization"]));
    expect(rows.every((r) => r.team_id === team.id || r.team_id === null)).toBe(true);
  }, 120_000);
});

describe("reservations, settlement and records", () => {
  it("refuses a reservation larger than what remains, naming the budget, and holds nothing anywhere", async () => {
    const org = await newOrg();
    const orgId = org.org.id;
    const team = await createTeam(testDb.db, { orgId, members: [{ memberId: org.owner.member.id }] });
    const orgBudget = await setBudget(orgId, "organization", orgId, 50n * M);
    const teamBudget = await setBudget(orgId, "team", team.id, 10n * M);
    const subject = { memberId: org.owner.member.id, teamId: team.id };
    const first = await reserve({ db: testDb.db, orgId }, { subject, charge: { cost: 7n * M } });
    const error = await refusal(reserve({ db: testDb.db, orgId }, { subject, charge: { cost: 3n * M + 1n } }));
    expect(error.code).toBe("PAYMENT_REQUIRED");
    expect(error.details).toMatchObject({ reason: "BUDGET_EXCEEDED", scope: "team", scopeId: team.id, remaining: String(3n * M) });
    // Only the first hold is there, on both budgets of the path.
    expect(await counter(teamBudget, first.periodStart)).toEqual({ spend: 0n, reserved: 7n * M });
    expect(await counter(orgBudget, first.periodStart)).toEqual({ spend: 0n, reserved: 7n * M });
    // Exactly what remains fits.
    await reserve({ db: testDb.db, orgId }, { subject, charge: { cost: 3n * M } });
    expect(await counter(orgBudget, first.periodStart)).toEqual({ spend: 0n, reserved: 10n * M });
    const check = await checkBudget({ db: testDb.db, orgId }, { subject, charge: { cost: 1n } });
    expect(check).toMatchObject({ allowed: false, tightest: { scope: "team", remaining: 0n } });
  });

  it("settles once: the actual cost is charged, the rest released, and a second settle repeats the first answer", async () => {
    const org = await newOrg();
    const orgId = org.org.id;
    const budgetId = await setBudget(orgId, "organization", orgId, 20n * M);
    const ctx = { db: testDb.db, orgId };
    const subject = { memberId: org.owner.member.id };
    const held = await reserve(ctx, { subject, charge: { cost: 5n * M } });
    const first = await settle(ctx, { reservationId: held.reservationId, charge: { cost: 2n * M } });
    const second = await settle(ctx, { reservationId: held.reservationId, charge: { cost: 4n * M } });
    expect(first).toMatchObject({ cost: 2n * M, released: 3n * M, replayed: false });
    expect(second).toMatchObject({ usageRecordId: first.usageRecordId, cost: 2n * M, replayed: true });
    expect(await counter(budgetId, held.periodStart)).toEqual({ spend: 2n * M, reserved: 0n });
    expect((await usageRows(orgId)).map((r) => r.cost)).toEqual([2n * M]);
    // Nothing to release after a settlement.
    expect(await release(ctx, held.reservationId)).toEqual({ released: 0n });
  });

  it("gives back an expired reservation's hold through the job, once, and then refuses to settle it", async () => {
    const org = await newOrg();
    const orgId = org.org.id;
    const budgetId = await setBudget(orgId, "organization", orgId, 10n * M);
    const t0 = new Date();
    const ctx = { db: testDb.db, orgId, clock: () => t0 };
    const held = await reserve(ctx, { subject: {}, charge: { cost: 9n * M }, ttlSeconds: 60 });
    expect(await counter(budgetId, held.periodStart)).toEqual({ spend: 0n, reserved: 9n * M });
    // Not yet expired: the job leaves it.
    await releaseExpiredReservations(testDb.db, new Date(t0.getTime() + 59_000));
    expect(await counter(budgetId, held.periodStart)).toEqual({ spend: 0n, reserved: 9n * M });
    const later = new Date(t0.getTime() + 61_000);
    const [a, b] = await Promise.all([releaseExpiredReservations(testDb.db, later), releaseExpiredReservations(testDb.db, later)]);
    expect((a as number) + (b as number)).toBeGreaterThanOrEqual(1);
    expect(await counter(budgetId, held.periodStart)).toEqual({ spend: 0n, reserved: 0n });
    const state = await admin.query("SELECT state::text FROM budget_reservations WHERE id = $1", [held.reservationId]);
    expect(state.rows).toEqual([{ state: "expired" }]);
    const error = await refusal(settle(ctx, { reservationId: held.reservationId, charge: { cost: 1n } }));
    expect(error.details.reason).toBe("RESERVATION_NOT_ACTIVE");
    expect(await counter(budgetId, held.periodStart)).toEqual({ spend: 0n, reserved: 0n });
  });

  it("records once per idempotency key: a replay answers the first result, another body under the key is a conflict", async () => {
    const org = await newOrg();
    const orgId = org.org.id;
    const budgetId = await setBudget(orgId, "organization", orgId, 10n * M);
    const ctx = { db: testDb.db, orgId };
    const input = { subject: { memberId: org.owner.member.id }, charge: { cost: 3n * M }, idempotencyKey: "call-1" };
    const results = await Promise.all(Array.from({ length: 8 }, () => recordUsage(ctx, input)));
    const ids = new Set(results.map((r) => r.usageRecordId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const error = await refusal(recordUsage(ctx, { ...input, charge: { cost: 4n * M } }));
    expect(error).toMatchObject({ code: "CONFLICT", details: { reason: "IDEMPOTENCY_KEY_REUSED" } });
    const rows = await usageRows(orgId);
    expect(rows.map((r) => r.cost)).toEqual([3n * M]);
    expect((await counter(budgetId, rows[0]?.period_start as string))?.spend).toBe(3n * M);
    // A refused call frees its key: the same key works once the charge fits.
    const big = { subject: {}, charge: { cost: 8n * M }, idempotencyKey: "call-2" };
    expect((await refusal(recordUsage(ctx, big))).details.reason).toBe("BUDGET_EXCEEDED");
    await recordUsage(ctx, { ...big, charge: { cost: 7n * M } });
    expect((await counter(budgetId, rows[0]?.period_start as string))?.spend).toBe(10n * M);
  });

  it("prices tokens from the catalogue (the organization's price over the default), rounding up, and refuses an unpriced model", async () => {
    const org = await newOrg();
    const orgId = org.org.id;
    const model = `model-${orgId.slice(0, 8)}`;
    // Default: 3.00 in / 15.00 out per million tokens; the org's own: 2.50 in / 10.00 out.
    await admin.query(
      "INSERT INTO model_prices (organization_id, model, input_price, output_price, effective_from) VALUES (NULL, $1, 3000000, 15000000, now() - interval '1 day'), ($2, $1, 2500000, 10000000, now() - interval '1 day')",
      [model, orgId],
    );
    const ctx = { db: testDb.db, orgId };
    // 1,001 in × 2.50/M = 2,502.5 µ; 333 out × 10.00/M = 3,330 µ → 5,832.5 → 5,833 µ.
    const r = await recordUsage(ctx, { subject: {}, charge: { model, inputTokens: 1001n, outputTokens: 333n } });
    expect(r.cost).toBe(5833n);
    const error = await refusal(recordUsage(ctx, { subject: {}, charge: { model: "no-such-model", inputTokens: 10n } }));
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", details: { reason: "MODEL_NOT_PRICED" } });
    expect((await usageRows(orgId)).map((x) => x.cost)).toEqual([5833n]);
  });
});

describe("periods in the organization's time zone", () => {
  /** Charges 1.00 at each instant; answers the period each charge landed in. */
  async function periodsAt(timezone: string, instants: string[]) {
    const org = await newOrg(timezone);
    const orgId = org.org.id;
    const budgetId = await setBudget(orgId, "organization", orgId, 1n * M);
    const landed: string[] = [];
    for (const at of instants) {
      const when = new Date(at);
      const ctx = { db: testDb.db, orgId, clock: () => when };
      const r = await recordUsage(ctx, { subject: {}, charge: { cost: 1n * M } });
      const { rows } = await admin.query<{ p: string }>(
        "SELECT to_char(period_start, 'YYYY-MM-DD') AS p FROM usage_records WHERE organization_id = $1 AND id = $2",
        [orgId, r.usageRecordId],
      );
      landed.push(rows[0]?.p as string);
    }
    // Each period's counter holds exactly its own charge: a full budget in one month does not block the next.
    for (const p of new Set(landed)) expect(await counter(budgetId, p)).toEqual({ spend: 1n * M, reserved: 0n });
    return landed;
  }

  it("rolls over at local midnight of the 1st in a zone ahead of UTC (Tokyo, +09:00)", async () => {
    expect(await periodsAt("Asia/Tokyo", ["2026-11-30T14:59:59.999Z", "2026-11-30T15:00:00.000Z"])).toEqual(["2026-11-01", "2026-12-01"]);
  });

  it("rolls over at local midnight of the 1st in a zone behind UTC (Los Angeles, -08:00)", async () => {
    expect(await periodsAt("America/Los_Angeles", ["2026-12-01T07:59:59.999Z", "2026-12-01T08:00:00.000Z"])).toEqual([
      "2026-11-01",
      "2026-12-01",
    ]);
  });

  it("follows a month with a DST change (March 2027: New York and Los Angeles start it in standard time, end it in daylight time)", async () => {
    const landed = await periodsAt("America/New_York", [
      // New York: March 1 starts at 05:00Z (EST); DST from March 14; April 1 starts at 04:00Z (EDT).
      "2027-03-01T04:59:59.999Z",
      "2027-03-01T05:00:00.000Z",
    ]);
    expect(landed).toEqual(["2027-02-01", "2027-03-01"]);
    const org = await newOrg("America/Los_Angeles");
    const orgId = org.org.id;
    const budgetId = await setBudget(orgId, "organization", orgId, 5n * M);
    const at = (iso: string) => ({ db: testDb.db, orgId, clock: () => new Date(iso) });
    await recordUsage(at("2027-03-01T08:00:00.000Z"), { subject: {}, charge: { cost: 2n * M } }); // March 1, 00:00 PST
    await recordUsage(at("2027-03-20T12:00:00.000Z"), { subject: {}, charge: { cost: 3n * M } }); // after the change
    await recordUsage(at("2027-04-01T06:59:59.999Z"), { subject: {}, charge: { cost: 0n } }); // March 31, 23:59:59.999 PDT
    const refused = await refusal(recordUsage(at("2027-04-01T06:59:59.999Z"), { subject: {}, charge: { cost: 1n } }));
    expect(refused.details.reason).toBe("BUDGET_EXCEEDED");
    await recordUsage(at("2027-04-01T07:00:00.000Z"), { subject: {}, charge: { cost: 4n * M } }); // April 1, 00:00 PDT
    expect(await counter(budgetId, "2027-03-01")).toEqual({ spend: 5n * M, reserved: 0n });
    expect(await counter(budgetId, "2027-04-01")).toEqual({ spend: 4n * M, reserved: 0n });
    expect(await counter(budgetId, "2027-02-01")).toBeNull();
  });
});

describe("alerts", () => {
  it("records each threshold once per budget and period, also when a burst of charges crosses it at once", async () => {
    const org = await newOrg();
    const orgId = org.org.id;
    const budgetId = await setBudget(orgId, "organization", orgId, 10n * M);
    await admin.query("UPDATE budgets SET alert_thresholds = '{50,80,100}' WHERE id = $1", [budgetId]);
    const ctx = { db: testDb.db, orgId };
    // 40 concurrent charges of 0.25 = 10.00: every threshold is crossed by some charge, several at once.
    await Promise.all(Array.from({ length: 40 }, () => recordUsage(ctx, { subject: {}, charge: { cost: M / 4n } })));
    const { rows } = await admin.query<{ threshold: number; spend_at_alert: string }>(
      "SELECT threshold, spend_at_alert::text FROM budget_alerts WHERE budget_id = $1 ORDER BY threshold",
      [budgetId],
    );
    expect(rows.map((r) => r.threshold)).toEqual([50, 80, 100]);
    // Each fired at the first spend that reached it: 5.00, 8.00 and 10.00 exactly (steps of 0.25).
    expect(rows.map((r) => r.spend_at_alert)).toEqual([String(5n * M), String(8n * M), String(10n * M)]);
  });
});

describe("daily rollups", () => {
  it("sums a local day's records per team, member, key and model, and recomputing changes nothing", async () => {
    const org = await newOrg("Asia/Tokyo");
    const orgId = org.org.id;
    const team = await createTeam(testDb.db, { orgId, members: [{ memberId: org.owner.member.id }] });
    const at = (iso: string) => ({ db: testDb.db, orgId, clock: () => new Date(iso) });
    const inTeam = { memberId: org.owner.member.id, teamId: team.id };
    // Tokyo's December 1 is 2026-11-30T15:00Z to 2026-12-01T15:00Z.
    await recordUsage(at("2026-11-30T14:59:59.999Z"), { subject: inTeam, charge: { cost: 1n } }); // Nov 30 local
    await recordUsage(at("2026-11-30T15:00:00.000Z"), { subject: inTeam, charge: { cost: 10n, model: "a", inputTokens: 5n } });
    await recordUsage(at("2026-12-01T09:00:00.000Z"), { subject: inTeam, charge: { cost: 20n, model: "a", outputTokens: 7n } });
    await recordUsage(at("2026-12-01T14:59:59.999Z"), { subject: {}, charge: { cost: 300n, model: "b" } });
    await recordUsage(at("2026-12-01T15:00:00.000Z"), { subject: {}, charge: { cost: 4000n, model: "b" } }); // Dec 2 local
    expect(await rollupUsageDay(testDb.db, orgId, "2026-12-01")).toBe(2);
    expect(await rollupUsageDay(testDb.db, orgId, "2026-12-01")).toBe(2);
    const { rows } = await admin.query(
      `SELECT team_id, model, requests::int, input_tokens::int, output_tokens::int, cost::int FROM usage_daily
        WHERE organization_id = $1 AND day = '2026-12-01' ORDER BY model`,
      [orgId],
    );
    expect(rows).toEqual([
      { team_id: team.id, model: "a", requests: 2, input_tokens: 5, output_tokens: 7, cost: 30 },
      { team_id: null, model: "b", requests: 1, input_tokens: 0, output_tokens: 0, cost: 300 },
    ]);
  });
});
