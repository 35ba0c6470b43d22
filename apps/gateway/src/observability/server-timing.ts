import { AsyncLocalStorage } from "node:async_hooks";
import type { Database } from "@aihub/db";

/**
 * Where one request's time went, for its `Server-Timing` header: `auth` (finding the key),
 * `ratelimit` (its rate limit and quota counters), `budget` (the model routes' reservation),
 * `upstream` (the model routes' provider, until its response headers), `db` (PostgreSQL
 * queries, summed, overlapping ones included) and `total` (until the response headers).
 */
const ORDER = ["auth", "ratelimit", "budget", "upstream", "db"] as const;
export type TimingName = (typeof ORDER)[number];

export class RequestTiming {
  private readonly spent = new Map<string, number>();
  readonly startedAt = performance.now();

  add(name: TimingName, ms: number): void {
    this.spent.set(name, (this.spent.get(name) ?? 0) + ms);
  }

  header(): string {
    // A fixed order, whichever finished first.
    const entries = ORDER.filter((name) => this.spent.has(name)).map(
      (name) => `${name};dur=${(this.spent.get(name) as number).toFixed(1)}`,
    );
    entries.push(`total;dur=${(performance.now() - this.startedAt).toFixed(1)}`);
    return entries.join(", ");
  }
}

const current = new AsyncLocalStorage<RequestTiming>();

/** Runs `fn` with `timing` as the current request's (queries made inside count towards its `db`). */
export function withRequestTiming<T>(timing: RequestTiming, fn: () => T): T {
  return current.run(timing, fn);
}

type Queryable = { query: (...args: unknown[]) => unknown };
const timedPools = new WeakSet<object>();
const timedClients = new WeakSet<object>();

/**
 * Times every query of the database's pool into the current request's `db`. Each pooled
 * connection's `query` is wrapped once, when the pool hands it out; a call is timed until its
 * callback runs (pool.query) or its promise settles (the driver adapter).
 */
export function timeDatabaseQueries(db: Database): void {
  const pool = db.pool;
  if (timedPools.has(pool)) return;
  timedPools.add(pool);
  pool.on("acquire", (client: Queryable) => {
    if (timedClients.has(client)) return;
    timedClients.add(client);
    const query = client.query.bind(client);
    client.query = (...args: unknown[]) => {
      const timing = current.getStore();
      const started = performance.now();
      const callback = args.at(-1);
      // pool.query (the one-trip reads) calls with a callback; the driver adapter with promises.
      if (timing && typeof callback === "function") {
        args[args.length - 1] = (...results: unknown[]) => {
          timing.add("db", performance.now() - started);
          return callback(...results);
        };
        return query(...args);
      }
      const result = query(...args);
      if (timing && result instanceof Promise) {
        result.then(
          () => timing.add("db", performance.now() - started),
          () => timing.add("db", performance.now() - started),
        );
      }
      return result;
    };
  });
}
