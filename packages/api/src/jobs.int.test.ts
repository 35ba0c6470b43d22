import { createDatabase } from "@aihub/db";
import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobRunner, type Job, type JobLog, productJobs } from "./jobs/index.js";
import { reserve } from "./services/budgets/reservations.js";
import { recordUsage } from "./services/usage/record.js";
import { createMemoryStore } from "./store/index.js";
import { createWorld, type World } from "./testing/world.js";

/**
 * The jobs runner (docs/budgets.md, "Jobs"): one process runs a job while another skips it
 * (advisory lock), a failing job does not stop the others, and the product's jobs do their work:
 * expired holds released, deleted organizations purged after 30 days, partitions created ahead.
 */
let testDb: TestDatabase;
let w: World;
let admin: pg.Client;
const logged: { level: string; message: string; data?: Record<string, unknown> }[] = [];
const log: JobLog = (level, message, data) => logged.push({ level, message, data });

beforeAll(async () => {
  testDb = await createTestDatabase();
  w = await createWorld(testDb.db, createMemoryStore());
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await testDb?.drop();
});

const only = (name: string) => productJobs().filter((j) => j.name === name);

describe("jobs runner", () => {
  it("runs a job's body once per tick across two runners at once (advisory lock); the other skips", async () => {
    let runs = 0;
    let entered!: () => void;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const job: Job = {
      name: `lock-test-${Date.now()}`,
      intervalMs: 60_000,
      run: async () => {
        runs += 1;
        entered();
        await gate;
      },
    };
    // Two runners, each with its own pool (as two processes would have).
    const other = createDatabase({ url: testDb.appUrl, poolMax: 2 });
    const a = createJobRunner({ db: w.db, jobs: [job], log });
    const b = createJobRunner({ db: other, jobs: [job], log });
    const first = a.tick();
    await inside;
    const second = await b.tick();
    release();
    expect(await first).toEqual({ [job.name]: "ran" });
    expect(second).toEqual({ [job.name]: "skipped" });
    expect(runs).toBe(1);
    await other.close();
    // Released: the next due tick of either runs it.
    const later = createJobRunner({ db: w.db, jobs: [job], log });
    expect(await later.tick()).toEqual({ [job.name]: "ran" });
    expect(runs).toBe(2);
  });

  it("keeps to each job's interval on the injected clock, and a failing job does not stop the others", async () => {
    let now = new Date("2031-01-01T00:00:00Z");
    let good = 0;
    const jobs: Job[] = [
      {
        name: `failing-${Date.now()}`,
        intervalMs: 1_000,
        run: async () => {
          throw new Error("boom");
        },
      },
      {
        name: `good-${Date.now()}`,
        intervalMs: 60_000,
        run: async () => {
          good += 1;
        },
      },
    ];
    const runner = createJobRunner({ db: w.db, jobs, log, clock: () => now });
    expect(Object.values(await runner.tick())).toEqual(["failed", "ran"]);
    expect(logged.some((l) => l.level === "error" && l.message.endsWith("failed") && l.data?.error === "boom")).toBe(true);
    now = new Date(now.getTime() + 30_000);
    expect(Object.values(await runner.tick())).toEqual(["failed", "not-due"]);
    now = new Date(now.getTime() + 30_000);
    expect(Object.values(await runner.tick())).toEqual(["failed", "ran"]);
    expect(good).toBe(2);
    await runner.stop();
  });

  it("stops: no tick after stop, and stop waits for a run in flight", async () => {
    let finished = false;
    const runner = createJobRunner({
      db: w.db,
      log,
      tickMs: 5,
      jobs: [
        {
          name: `slow-${Date.now()}`,
          intervalMs: 1,
          run: async () => {
            await new Promise((r) => setTimeout(r, 50));
            finished = true;
          },
        },
      ],
    });
    runner.start();
    await new Promise((r) => setTimeout(r, 10));
    await runner.stop();
    expect(finished).toBe(true);
  });
});

describe("product jobs", () => {
  it("releases an expired reservation: the hold is given back to every counter", async () => {
    const { rows: b } = await admin.query<{ id: string }>(
      "INSERT INTO budgets (organization_id, scope, scope_id, period_limit) VALUES ($1, 'team', $2, 50000000) RETURNING id",
      [w.orgId, w.unrelatedTeamId],
    );
    const budgetId = (b[0] as { id: string }).id;
    const made = new Date();
    const held = await reserve(
      { db: w.db, orgId: w.orgId, clock: () => made },
      { subject: { memberId: w.users.unrelatedLead.memberId, teamId: w.unrelatedTeamId }, charge: { cost: 7_000_000n }, ttlSeconds: 60 },
    );
    const reserved = async () =>
      (await admin.query<{ reserved: string }>("SELECT reserved::text FROM budget_periods WHERE budget_id = $1", [budgetId])).rows[0]
        ?.reserved;
    expect(await reserved()).toBe("7000000");
    // Before expiry the job leaves it; after, it releases it.
    const early = createJobRunner({ db: w.db, jobs: only("expired-reservations"), log, clock: () => new Date(made.getTime() + 30_000) });
    await early.tick();
    expect(await reserved()).toBe("7000000");
    const late = createJobRunner({ db: w.db, jobs: only("expired-reservations"), log, clock: () => new Date(made.getTime() + 61_000) });
    expect(await late.tick()).toEqual({ "expired-reservations": "ran" });
    expect(await reserved()).toBe("0");
    const { rows } = await admin.query<{ state: string }>("SELECT state::text FROM budget_reservations WHERE id = $1", [
      held.reservationId,
    ]);
    expect(rows[0]?.state).not.toBe("active");
  });

  it("purges an organization deleted 31 days ago with all its rows, and keeps one deleted 29 days ago", async () => {
    const now = new Date();
    const old = (await createOrg(w.db)).org;
    const recent = (await createOrg(w.db)).org;
    const day = 86_400_000;
    await admin.query("UPDATE organizations SET status = 'deleted', deleted_at = $2 WHERE id = $1", [
      old.id,
      new Date(now.getTime() - 31 * day),
    ]);
    await admin.query("UPDATE organizations SET status = 'deleted', deleted_at = $2 WHERE id = $1", [
      recent.id,
      new Date(now.getTime() - 29 * day),
    ]);
    await admin.query("INSERT INTO budgets (organization_id, scope, scope_id, period_limit) VALUES ($1, 'organization', $1, 1000)", [
      old.id,
    ]);
    const runner = createJobRunner({ db: w.db, jobs: only("purge-deleted-organizations"), log, clock: () => now });
    expect(await runner.tick()).toEqual({ "purge-deleted-organizations": "ran" });
    const exists = async (id: string) => (await admin.query("SELECT 1 FROM organizations WHERE id = $1", [id])).rowCount;
    expect(await exists(old.id)).toBe(0);
    expect(await exists(recent.id)).toBe(1);
    expect(await exists(w.orgId)).toBe(1);
    for (const table of ["members", "budgets"]) {
      const { rows } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE organization_id = $1`, [old.id]);
      expect(rows[0]?.n).toBe(0);
    }
    const { rows: kept } = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM members WHERE organization_id = $1", [
      recent.id,
    ]);
    expect(kept[0]?.n).toBe(1);
    expect(logged.some((l) => l.message === "organization purged" && l.data?.id === old.id)).toBe(true);
  });

  it("rolls up today's usage per organization with usage, and runs forecasts and deliveries as jobs", async () => {
    await admin.query("UPDATE organizations SET timezone = 'UTC', budget_timezone = NULL, budget_timezone_until = NULL WHERE id = $1", [
      w.orgId,
    ]);
    const charged = await recordUsage(
      { db: w.db, orgId: w.orgId },
      { subject: { memberId: w.users.viewer.memberId }, charge: { cost: 1_234_567n } },
    );
    const now = new Date();
    // The record's own UTC day (yesterday or today for the job, whatever the moment of the run).
    const { rows: at } = await admin.query<{ day: string }>(
      "SELECT (occurred_at AT TIME ZONE 'UTC')::date::text AS day FROM usage_records WHERE id = $1",
      [charged.usageRecordId],
    );
    const today = at[0]?.day as string;
    const runner = createJobRunner({
      db: w.db,
      jobs: productJobs().filter((j) => ["usage-rollups", "forecast-alerts", "alert-deliveries"].includes(j.name)),
      log,
      clock: () => now,
    });
    expect(await runner.tick()).toEqual({ "usage-rollups": "ran", "forecast-alerts": "ran", "alert-deliveries": "ran" });
    // Today's rollup equals the records of today, computed here from the records themselves.
    const { rows } = await admin.query<{ rolled: string; recorded: string }>(
      `SELECT (SELECT coalesce(sum(cost), 0)::text FROM usage_daily WHERE organization_id = $1 AND day = $2::date) AS rolled,
              (SELECT coalesce(sum(cost), 0)::text FROM usage_records WHERE organization_id = $1 AND occurred_at >= $2::date AND occurred_at < $2::date + 1) AS recorded`,
      [w.orgId, today],
    );
    expect(rows[0]?.rolled).toBe(rows[0]?.recorded);
    expect(BigInt(rows[0]?.rolled ?? "0")).toBeGreaterThanOrEqual(1_234_567n);
    // No pending delivery is left due for this organization.
    const { rows: pending } = await admin.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM alert_deliveries WHERE organization_id = $1 AND status = 'pending' AND next_attempt_at <= $2",
      [w.orgId, now],
    );
    expect(pending[0]?.n).toBe(0);
  });

  it("creates usage partitions three months ahead", async () => {
    const partitions = async () =>
      (
        await admin.query<{ name: string }>(
          "SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND relname LIKE 'usage_records_2035%' ORDER BY 1",
        )
      ).rows.map((r) => r.name);
    expect(await partitions()).toEqual([]);
    const runner = createJobRunner({ db: w.db, jobs: only("usage-partitions"), log, clock: () => new Date("2035-05-20T12:00:00Z") });
    expect(await runner.tick()).toEqual({ "usage-partitions": "ran" });
    expect(await partitions()).toEqual(["usage_records_2035_05", "usage_records_2035_06", "usage_records_2035_07"]);
  });
});
