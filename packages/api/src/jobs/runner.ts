import type { Database } from "@aihub/db";

/** What a job gets: the database and the runner's clock (injectable for tests). */
export interface JobContext {
  db: Database;
  now: Date;
  log: JobLog;
}

export interface Job {
  name: string;
  /** How often it runs, at most, in this process. */
  intervalMs: number;
  run(ctx: JobContext): Promise<unknown>;
}

export type JobLog = (level: "info" | "error", message: string, data?: Record<string, unknown>) => void;

export type JobOutcome = "ran" | "skipped" | "failed" | "not-due";

export interface JobRunner {
  /** Runs every job that is due now (by the clock), each under its advisory lock; never throws. */
  tick(): Promise<Record<string, JobOutcome>>;
  /** Ticks every `tickMs` until stopped. */
  start(): void;
  /** Stops ticking and waits for the jobs in flight (graceful shutdown). */
  stop(): Promise<void>;
}

export const consoleJobLog: JobLog = (level, message, data) => {
  const line = `[jobs] ${message}${data ? ` ${JSON.stringify(data)}` : ""}`;
  if (level === "error") console.error(line);
  else console.log(line);
};

/**
 * A small job runner. Each job runs under its own session-level `pg_try_advisory_lock` held on
 * a dedicated connection for the length of the run, so of several processes (launchers,
 * gateways on several hosts) one runs a job while the others skip it; a crashed holder's lock
 * goes with its connection. Jobs are isolated: one that throws is logged and the others run.
 * Every job is idempotent (it re-derives its work from the database), so two runs one after the
 * other — another process's tick a moment later — are harmless. The embedded database (PGlite)
 * has one connection and one process: there the lock is skipped (holding it would starve the
 * job's own queries).
 */
export function createJobRunner(options: { db: Database; jobs: Job[]; clock?: () => Date; log?: JobLog; tickMs?: number }): JobRunner {
  const { db, jobs } = options;
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? consoleJobLog;
  const lastRun = new Map<string, number>();
  const running = new Map<string, Promise<JobOutcome>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const underLock = async (job: Job, body: () => Promise<unknown>): Promise<boolean> => {
    if (db.backend === "pglite") {
      await body();
      return true;
    }
    const client = await db.pool.connect();
    let broken = false;
    try {
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('aihub:jobs'), hashtext($1)) AS ok", [
        job.name,
      ]);
      if (!rows[0]?.ok) return false;
      try {
        await body();
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('aihub:jobs'), hashtext($1))", [job.name]).catch(() => {
          broken = true; // dropping the connection releases the lock
        });
      }
      return true;
    } finally {
      client.release(broken);
    }
  };

  const runOne = async (job: Job): Promise<JobOutcome> => {
    const now = clock();
    const last = lastRun.get(job.name);
    if (last !== undefined && now.getTime() - last < job.intervalMs) return "not-due";
    lastRun.set(job.name, now.getTime());
    const started = Date.now();
    try {
      let result: unknown;
      const ran = await underLock(job, async () => {
        result = await job.run({ db, now, log });
      });
      if (!ran) return "skipped";
      if (result !== undefined && result !== 0) log("info", `${job.name} done`, { result, ms: Date.now() - started });
      return "ran";
    } catch (error) {
      log("error", `${job.name} failed`, { error: (error as Error).message });
      return "failed";
    }
  };

  const tick = async () => {
    const entries = await Promise.all(
      jobs.map(async (job): Promise<[string, JobOutcome]> => {
        if (running.has(job.name)) return [job.name, "skipped"]; // still running in this process
        const run = runOne(job);
        running.set(job.name, run);
        try {
          return [job.name, await run];
        } finally {
          running.delete(job.name);
        }
      }),
    );
    return Object.fromEntries(entries);
  };

  return {
    tick,
    start() {
      const loop = async () => {
        if (stopped) return;
        await tick();
        if (!stopped) timer = setTimeout(loop, options.tickMs ?? 10_000).unref();
      };
      timer = setTimeout(loop, 0).unref();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...running.values()]);
    },
  };
}
