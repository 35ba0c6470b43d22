import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organizationRouter } from "./routers/organization/router.js";
import { recordUsage } from "./services/usage/record.js";
import { createMemoryStore } from "./store/index.js";
import { asUser, createWorld, type World } from "./testing/world.js";
import { createCallerFactory, router } from "./trpc.js";

/**
 * A change of the organization's time zone applies to budget periods from the next period: the
 * running period ends where it would have in the old zone, and a zone behind the old one does
 * not reopen the month just closed. The change is made through organization.update (now); the
 * charges carry chosen instants around the end it recorded. Expected periods are computed here
 * with Intl, not by the product's calendar code.
 */
const createCaller = createCallerFactory(router({ organization: organizationRouter }));
let testDb: TestDatabase;
let admin: pg.Client;
beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await testDb?.drop();
});

/** "YYYY-MM-01" of the month `at` is in, in `zone`. */
function monthIn(at: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit" }).formatToParts(at);
  return `${parts.find((p) => p.type === "year")?.value}-${parts.find((p) => p.type === "month")?.value}-01`;
}

async function periodOfCharge(w: World, at: Date): Promise<string> {
  const r = await recordUsage({ db: w.db, orgId: w.orgId, clock: () => at }, { subject: {}, charge: { cost: 1n } });
  const { rows } = await admin.query<{ p: string }>("SELECT period_start::text AS p FROM usage_records WHERE id = $1", [r.usageRecordId]);
  return rows[0]?.p as string;
}

async function changeZone(w: World, timezone: string): Promise<Date> {
  await createCaller(asUser(w, "owner")).organization.update({ orgId: w.orgId, timezone });
  const { rows } = await admin.query<{ budget_timezone_until: Date }>("SELECT budget_timezone_until FROM organizations WHERE id = $1", [
    w.orgId,
  ]);
  return rows[0]?.budget_timezone_until as Date;
}

describe("a change of time zone and budget periods", () => {
  it("keeps the running period in the old zone until it ends there (to a zone ahead: UTC → Tokyo)", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    await admin.query("UPDATE organizations SET timezone = 'UTC' WHERE id = $1", [w.orgId]);
    const now = new Date();
    const until = await changeZone(w, "Asia/Tokyo");
    // The end of this month in UTC, computed here.
    expect(until.getTime()).toBe(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const lastMoment = new Date(until.getTime() - 1);
    // Tokyo is already in the next month then; the period is still this one.
    expect(monthIn(lastMoment, "Asia/Tokyo")).not.toBe(monthIn(lastMoment, "UTC"));
    expect(await periodOfCharge(w, lastMoment)).toBe(monthIn(lastMoment, "UTC"));
    expect(await periodOfCharge(w, until)).toBe(monthIn(until, "Asia/Tokyo"));
    // Well after: Tokyo's own calendar.
    const later = new Date(until.getTime() + 40 * 86_400_000);
    expect(await periodOfCharge(w, later)).toBe(monthIn(later, "Asia/Tokyo"));
  });

  it("does not reopen the month just closed when the new zone is behind (Tokyo → Los Angeles)", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    await admin.query("UPDATE organizations SET timezone = 'Asia/Tokyo' WHERE id = $1", [w.orgId]);
    const until = await changeZone(w, "America/Los_Angeles");
    expect(monthIn(until, "Asia/Tokyo")).not.toBe(monthIn(new Date(until.getTime() - 1), "Asia/Tokyo"));
    // At the end of Tokyo's month Los Angeles is still in it; the charge goes to the next period.
    const justAfter = new Date(until.getTime() + 60_000);
    expect(monthIn(justAfter, "America/Los_Angeles")).toBe(monthIn(new Date(until.getTime() - 1), "Asia/Tokyo"));
    expect(await periodOfCharge(w, justAfter)).toBe(monthIn(until, "Asia/Tokyo"));
    expect(await periodOfCharge(w, new Date(until.getTime() - 1))).toBe(monthIn(new Date(until.getTime() - 1), "Asia/Tokyo"));
  });

  it("changing back before the period ends leaves nothing pending", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    await admin.query("UPDATE organizations SET timezone = 'UTC' WHERE id = $1", [w.orgId]);
    await changeZone(w, "Asia/Tokyo");
    await createCaller(asUser(w, "owner")).organization.update({ orgId: w.orgId, timezone: "UTC" });
    const { rows } = await admin.query("SELECT timezone, budget_timezone, budget_timezone_until FROM organizations WHERE id = $1", [
      w.orgId,
    ]);
    expect(rows[0]).toEqual({ timezone: "UTC", budget_timezone: null, budget_timezone_until: null });
  });
});
