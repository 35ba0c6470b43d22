import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetRouter } from "./routers/budget/router.js";
import { usageRouter } from "./routers/usage/router.js";
import type { UsageSubject } from "./services/budgets/path.js";
import { recordUsage } from "./services/usage/record.js";
import { closeUsageDays, rollupUsageDay } from "./services/usage/rollup.js";
import { createMemoryStore } from "./store/index.js";
import { outcomeOf } from "./testing/outcome.js";
import { apiKeyIdentity, asUser, createWorld, type World } from "./testing/world.js";
import { createCallerFactory, router } from "./trpc.js";

/**
 * The usage explorer against records written by the product's own charging path at chosen
 * instants, in an organization in Tokyo (UTC+9). Expectations are computed here from the list
 * of charges (local days by Intl, sums by hand), never by the explorer's SQL.
 */
const createCaller = createCallerFactory(router({ budget: budgetRouter, usage: usageRouter }));
const ZONE = "Asia/Tokyo";
let testDb: TestDatabase;
let w: World;
let admin: pg.Client;

interface Charge {
  at: Date;
  subject: UsageSubject;
  cost: bigint;
  model: string;
}
const charges: Charge[] = [];
let keyId: string;

const localDay = (at: Date) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);

/** What the explorer should answer for a grouping, from the charges: bucket → cost, and counts. */
function expected(group: (c: Charge) => string | null, filter: (c: Charge) => boolean = () => true) {
  const costs = new Map<string | null, bigint>();
  const counts = new Map<string | null, number>();
  for (const c of charges.filter(filter)) {
    const k = group(c);
    costs.set(k, (costs.get(k) ?? 0n) + c.cost);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return { costs, counts };
}

/** Each charge's team as the product attributes it (the key's team, else the one named, else none). */
const teamOf = (c: Charge, keyTeam: string) => (c.subject.apiKeyId ? keyTeam : (c.subject.teamId ?? null));

beforeAll(async () => {
  testDb = await createTestDatabase();
  w = await createWorld(testDb.db, createMemoryStore());
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  await admin.query("UPDATE organizations SET timezone = $1 WHERE id = $2", [ZONE, w.orgId]);
  const key = await apiKeyIdentity(w, ["usage:write", "usage:read"], w.targetTeamId);
  keyId = (key as { apiKeyId: string }).apiKeyId;
  const subjects: UsageSubject[] = [
    {},
    { memberId: w.users.teamMember.memberId, teamId: w.targetTeamId },
    { memberId: w.users.targetLead.memberId, teamId: w.parentTeamId },
    { memberId: w.users.member.memberId },
    { apiKeyId: keyId },
  ];
  // Around local midnights of 3–9 October (15:00 UTC is midnight in Tokyo), in a fixed pattern.
  let seed = 7;
  const next = () => {
    seed = (seed * 48271) % 2147483647;
    return seed;
  };
  for (let i = 0; i < 60; i++) {
    const day = 3 + (i % 7);
    const minutes = [-1, 1, 30, 600, -600][i % 5] as number;
    const at = new Date(Date.UTC(2026, 9, day, 15, 0, 0) + minutes * 60_000);
    charges.push({
      at,
      subject: subjects[i % subjects.length] as UsageSubject,
      cost: BigInt(1 + (next() % 5_000_000)),
      model: i % 3 ? "m-large" : "m-small",
    });
  }
  for (const c of charges) {
    await recordUsage({ db: w.db, orgId: w.orgId, clock: () => c.at }, { subject: c.subject, charge: { cost: c.cost, model: c.model } });
  }
});
afterAll(async () => {
  await admin?.end();
  await testDb?.drop();
});

const RANGE = { from: "2026-10-01", to: "2026-10-31" };
const sum = (values: Iterable<bigint>) => [...values].reduce((a, b) => a + b, 0n);

describe("usage explorer", () => {
  it("totals and days: each charge on its local day in the organization's zone, zeros for days without usage", async () => {
    const viewer = createCaller(asUser(w, "viewer"));
    const summary = await viewer.usage.summary({ orgId: w.orgId, ...RANGE });
    const byDay = expected((c) => localDay(c.at));
    expect(summary.totals.cost).toBe(sum(byDay.costs.values()).toString());
    expect(summary.totals.requests).toBe(charges.length);
    expect(summary.days).toHaveLength(31);
    for (const d of summary.days) {
      expect(d.cost).toBe((byDay.costs.get(d.day) ?? 0n).toString());
      expect(d.requests).toBe(byDay.counts.get(d.day) ?? 0);
    }
    // The charge a minute before Tokyo midnight of the 3rd is on the 3rd, a minute after on the 4th.
    expect(byDay.costs.has("2026-10-02")).toBe(false);
    expect(summary.days.find((d) => d.day === "2026-10-03")?.requests).toBeGreaterThan(0);
  });

  it("breaks down by team, member, key and model with the none buckets, each summing exactly to the total", async () => {
    const member = createCaller(asUser(w, "member"));
    const groups = {
      team: (c: Charge) => teamOf(c, w.targetTeamId),
      member: (c: Charge) => c.subject.memberId ?? null,
      apiKey: (c: Charge) => c.subject.apiKeyId ?? null,
      model: (c: Charge) => c.model,
    } as const;
    const total = sum(charges.map((c) => c.cost));
    for (const [by, group] of Object.entries(groups) as [keyof typeof groups, (c: Charge) => string | null][]) {
      const result = await member.usage.breakdown({ orgId: w.orgId, ...RANGE, by });
      const want = expected(group);
      expect(new Map(result.items.map((i) => [i.key, i.cost])), by).toEqual(new Map([...want.costs].map(([k, v]) => [k, v.toString()])));
      expect(sum(result.items.map((i) => BigInt(i.cost))), by).toBe(total);
      expect(result.totals.cost).toBe(total.toString());
    }
    const teams = await member.usage.breakdown({ orgId: w.orgId, ...RANGE, by: "team" });
    const target = teams.items.find((i) => i.key === w.targetTeamId);
    const parent = teams.items.find((i) => i.key === w.parentTeamId);
    // The target team sits under the parent: the parent's subtree holds both.
    expect(target?.parentId).toBe(w.parentTeamId);
    expect(BigInt(parent?.subtreeCost ?? "0")).toBe(BigInt(parent?.cost ?? "0") + BigInt(target?.cost ?? "0"));
    expect(teams.items.find((i) => i.key === null)?.label).toBeNull();
    expect(target?.label).toBeTruthy();
  });

  it("filters by a team with its sub-teams, by member and by model", async () => {
    const owner = createCaller(asUser(w, "owner"));
    const underParent = await owner.usage.summary({ orgId: w.orgId, ...RANGE, teamId: w.parentTeamId });
    const wantTeam = sum(
      charges.filter((c) => [w.parentTeamId, w.targetTeamId].includes(teamOf(c, w.targetTeamId) ?? "")).map((c) => c.cost),
    );
    expect(underParent.totals.cost).toBe(wantTeam.toString());
    const onlyTarget = await owner.usage.summary({ orgId: w.orgId, ...RANGE, teamId: w.targetTeamId });
    expect(onlyTarget.totals.cost).toBe(
      sum(charges.filter((c) => teamOf(c, w.targetTeamId) === w.targetTeamId).map((c) => c.cost)).toString(),
    );
    const small = await owner.usage.breakdown({
      orgId: w.orgId,
      ...RANGE,
      by: "day",
      model: "m-small",
      memberId: w.users.teamMember.memberId,
    });
    const wantSmall = charges.filter((c) => c.model === "m-small" && c.subject.memberId === w.users.teamMember.memberId);
    expect(small.totals.cost).toBe(sum(wantSmall.map((c) => c.cost)).toString());
    expect(small.totals.requests).toBe(wantSmall.length);
    expect(await outcomeOf(owner.usage.summary({ orgId: w.orgId, ...RANGE, teamId: w.foreignOrgId }))).toBe("NOT_FOUND");
  });

  it("reads closed days from the rollups once they are closed, with the same answers, and later days from the records", async () => {
    const owner = createCaller(asUser(w, "owner"));
    const before = await owner.usage.breakdown({ orgId: w.orgId, ...RANGE, by: "member" });
    // Noon of 10 October in Tokyo: every day up to the 9th has closed.
    const watermark = await closeUsageDays(w.db, w.orgId, new Date(Date.UTC(2026, 9, 10, 3)));
    expect(watermark).toBe("2026-10-10");
    const rolled = await admin.query<{ days: number; cost: string }>(
      "SELECT count(DISTINCT day)::int AS days, sum(cost)::text AS cost FROM usage_daily WHERE organization_id = $1",
      [w.orgId],
    );
    const closed = charges.filter((c) => localDay(c.at) < "2026-10-10");
    expect(closed.length).toBeLessThan(charges.length); // some charges are on the 10th, still open
    expect(rolled.rows[0]).toEqual({
      days: new Set(closed.map((c) => localDay(c.at))).size,
      cost: sum(closed.map((c) => c.cost)).toString(),
    });
    const after = await owner.usage.breakdown({ orgId: w.orgId, ...RANGE, by: "member" });
    expect(after).toEqual(before);
    // The answer now comes from the rollups: a (deliberate) change there shows, and is undone.
    await admin.query(
      "UPDATE usage_daily SET cost = cost + 7 WHERE organization_id = $1 AND day = '2026-10-05' AND member_id IS NULL AND api_key_id IS NULL",
      [w.orgId],
    );
    const tampered = await owner.usage.summary({ orgId: w.orgId, ...RANGE });
    expect(BigInt(tampered.totals.cost)).toBe(sum(charges.map((c) => c.cost)) + 7n);
    await admin.query(
      "UPDATE usage_daily SET cost = cost - 7 WHERE organization_id = $1 AND day = '2026-10-05' AND member_id IS NULL AND api_key_id IS NULL",
      [w.orgId],
    );
    // A charge on the 10th (after the watermark) counts from the records.
    const late = { at: new Date(Date.UTC(2026, 9, 10, 4)), subject: {}, cost: 123n, model: "m-small" };
    await recordUsage(
      { db: w.db, orgId: w.orgId, clock: () => late.at },
      { subject: late.subject, charge: { cost: late.cost, model: late.model } },
    );
    charges.push(late);
    // A rollup of the open day (as a job may write one) is not counted on top of its records.
    expect(await rollupUsageDay(w.db, w.orgId, "2026-10-10")).toBeGreaterThan(0);
    const withLate = await owner.usage.summary({ orgId: w.orgId, ...RANGE });
    expect(withLate.totals.cost).toBe(sum(charges.map((c) => c.cost)).toString());
    const onTenth = charges.filter((c) => localDay(c.at) === "2026-10-10");
    expect(withLate.days.find((d) => d.day === "2026-10-10")?.cost).toBe(sum(onTenth.map((c) => c.cost)).toString());
    // Closing again at the same moment changes nothing; a day later closes the 10th.
    expect(await closeUsageDays(w.db, w.orgId, new Date(Date.UTC(2026, 9, 10, 3)))).toBe("2026-10-10");
    expect(await closeUsageDays(w.db, w.orgId, new Date(Date.UTC(2026, 9, 11, 3)))).toBe("2026-10-11");
    expect(await owner.usage.summary({ orgId: w.orgId, ...RANGE })).toEqual(withLate);
  });

  it("keeps a day open for a grace period after its midnight (a charge begun before midnight may commit after it)", async () => {
    // Five minutes after Tokyo midnight of the 12th: the 11th is still open.
    expect(await closeUsageDays(w.db, w.orgId, new Date(Date.UTC(2026, 9, 11, 15, 5)))).toBe("2026-10-11");
    expect(await closeUsageDays(w.db, w.orgId, new Date(Date.UTC(2026, 9, 11, 15, 16)))).toBe("2026-10-12");
  });

  it("refuses a range that ends before it starts, is longer than 367 days or names no calendar day", async () => {
    const owner = createCaller(asUser(w, "owner"));
    expect(await outcomeOf(owner.usage.summary({ orgId: w.orgId, from: "2026-10-05", to: "2026-10-04" }))).toBe(
      "BAD_REQUEST INVALID_DATE_RANGE",
    );
    expect(await outcomeOf(owner.usage.breakdown({ orgId: w.orgId, from: "2025-01-01", to: "2026-10-04", by: "day" }))).toBe(
      "BAD_REQUEST INVALID_DATE_RANGE",
    );
    expect(await outcomeOf(owner.usage.summary({ orgId: w.orgId, from: "2026-02-30", to: "2026-03-01" }))).toBe("BAD_REQUEST");
  });
});
