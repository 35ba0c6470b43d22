import type { Database } from "@aihub/db";
import { deliverDueAlerts } from "../services/alerts/deliver.js";
import { forecastAlerts } from "../services/alerts/forecast.js";
import { releaseExpiredReservations } from "../services/budgets/reservations.js";
import { ensureUsagePartitions } from "../services/usage/record.js";
import { closeUsageDays, rollupUsageDay } from "../services/usage/rollup.js";
import { createJobRunner, type Job, type JobLog, type JobRunner } from "./runner.js";

export { createJobRunner, type Job, type JobContext, type JobLog, type JobOutcome, type JobRunner } from "./runner.js";

/** Organizations soft-deleted longer than this are purged (restorable until then). */
export const PURGE_AFTER_DAYS = 30;
const MINUTE = 60_000;

/** A local calendar day ("2026-11-28") of `at` in `timeZone`. */
function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

async function organizations(db: Database) {
  return db.prisma.$queryRaw<{ id: string; timezone: string }[]>`SELECT id, timezone FROM organizations_for_jobs()`;
}

/** Runs `work` for each organization; one organization's failure is logged and the rest go on. */
async function perOrganization(
  ctx: { db: Database; log: JobLog },
  name: string,
  work: (org: { id: string; timezone: string }) => Promise<unknown>,
) {
  let failed = 0;
  for (const org of await organizations(ctx.db)) {
    try {
      await work(org);
    } catch (error) {
      failed += 1;
      ctx.log("error", `${name}: organization ${org.id} failed`, { error: (error as Error).message });
    }
  }
  if (failed) throw new Error(`${failed} organization(s) failed`);
}

/** The product's jobs (docs/budgets.md, "Jobs"). Options exist for tests (delivery to local servers). */
export function productJobs(options: { allowPrivateWebhooks?: boolean } = {}): Job[] {
  return [
    {
      name: "usage-partitions",
      intervalMs: 6 * 60 * MINUTE,
      run: ({ db, now }) => ensureUsagePartitions({ db }, now, 3),
    },
    {
      name: "expired-reservations",
      intervalMs: MINUTE,
      run: ({ db, now }) => releaseExpiredReservations(db, now),
    },
    {
      name: "usage-rollups",
      intervalMs: 5 * MINUTE,
      run: (ctx) =>
        perOrganization(ctx, "usage-rollups", async (org) => {
          // closeUsageDays returns null for an organization without usage: nothing to roll up.
          if ((await closeUsageDays(ctx.db, org.id, ctx.now)) === null) return;
          const yesterday = localDay(new Date(ctx.now.getTime() - 24 * 60 * MINUTE), org.timezone);
          await rollupUsageDay(ctx.db, org.id, yesterday);
          await rollupUsageDay(ctx.db, org.id, localDay(ctx.now, org.timezone));
        }),
    },
    {
      name: "alert-deliveries",
      intervalMs: 30_000,
      run: ({ db, now }) => deliverDueAlerts(db, { now, allowPrivate: options.allowPrivateWebhooks }),
    },
    {
      name: "forecast-alerts",
      intervalMs: 60 * MINUTE,
      run: (ctx) => perOrganization(ctx, "forecast-alerts", (org) => forecastAlerts(ctx.db, org.id, ctx.now)),
    },
    {
      name: "purge-deleted-organizations",
      intervalMs: 60 * MINUTE,
      run: async ({ db, now, log }) => {
        const before = new Date(now.getTime() - PURGE_AFTER_DAYS * 24 * 60 * MINUTE);
        const purged = await db.prisma.$queryRaw<{ id: string; slug: string; deleted_at: Date }[]>`
          SELECT id, slug, deleted_at FROM organizations_purge_deleted(${before}, 100)`;
        // The trace of a purge (its audit events stay in audit_events until their retention ends).
        for (const org of purged)
          log("info", "organization purged", { id: org.id, slug: org.slug, deletedAt: org.deleted_at.toISOString() });
        return purged.length;
      },
    },
  ];
}

/**
 * Starts the product's jobs unless JOBS_ENABLED=0; returns the runner (to stop on shutdown) or
 * null. For the launcher and the gateway's primary process.
 */
export function startJobs(db: Database, options: { log?: JobLog; env?: NodeJS.ProcessEnv } = {}): JobRunner | null {
  const env = options.env ?? process.env;
  if (env.JOBS_ENABLED === "0" || env.JOBS_ENABLED === "false") return null;
  const runner = createJobRunner({ db, jobs: productJobs(), log: options.log });
  runner.start();
  return runner;
}
