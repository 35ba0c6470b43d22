import { Cluster, Redis } from "ioredis";
import type { Store } from "./store.js";

// INCR and start the window's expiry in one atomic step (no window that never expires).
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

const BUMP_SCRIPT = `
local value = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return value`;

// ARGV[3] is the expected guard value, "" for "absent" (GET answers false for a missing key).
const SET_IF_UNCHANGED_SCRIPT = `
if (redis.call('GET', KEYS[2]) or '') == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0`;

// GCRA on the server's clock (every process agrees on "now"): the key holds the theoretical
// arrival time in ms. ARGV: limit, window in ms. Returns {allowed, retryAfterMs}.
const RATE_LIMIT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
local interval = window / tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allow_at = tat + interval - window
if now < allow_at then return {0, math.ceil(allow_at - now)} end
local next_tat = tat + interval
redis.call('SET', KEYS[1], tostring(next_tat), 'PX', math.max(1, math.ceil(next_tat - now)))
return {1, 0}`;

// A period's counter: INCR, and an expiry on the first count (or on a counter somehow left
// without one), in one atomic step — a counter never outlives its period by more than the TTL.
const COUNT_IN_PERIOD_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('TTL', KEYS[1]) == -1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

// RATE_LIMIT_SCRIPT then, when allowed, COUNT_IN_PERIOD_SCRIPT: KEYS rate, period; ARGV limit,
// window in ms, period TTL. Returns {allowed, retryAfterMs, count (0 when refused)}.
const RATE_LIMIT_AND_COUNT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
local interval = window / tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allow_at = tat + interval - window
if now < allow_at then return {0, math.ceil(allow_at - now), 0} end
local next_tat = tat + interval
redis.call('SET', KEYS[1], tostring(next_tat), 'PX', math.max(1, math.ceil(next_tat - now)))
local count = redis.call('INCR', KEYS[2])
if count == 1 or redis.call('TTL', KEYS[2]) == -1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
return {1, 0, count}`;

/** Our scripts, sent once per connection and then called by their SHA (EVALSHA; ioredis reloads them after a NOSCRIPT). */
type Scripted = (Redis | Cluster) & {
  aihubHit(key: string, window: number): Promise<number>;
  aihubBump(key: string, ttl: number): Promise<number>;
  aihubSetIfUnchanged(key: string, guard: string, value: string, ttl: number, expected: string): Promise<number>;
  aihubRateLimit(key: string, limit: number, windowMs: number): Promise<[number, number]>;
  aihubCountInPeriod(key: string, ttl: number): Promise<number>;
  aihubRateLimitAndCount(
    rateKey: string,
    periodKey: string,
    limit: number,
    windowMs: number,
    ttl: number,
  ): Promise<[number, number, number]>;
};

function defineScripts(redis: Redis | Cluster): Scripted {
  redis.defineCommand("aihubHit", { numberOfKeys: 1, lua: HIT_SCRIPT });
  redis.defineCommand("aihubBump", { numberOfKeys: 1, lua: BUMP_SCRIPT });
  redis.defineCommand("aihubSetIfUnchanged", { numberOfKeys: 2, lua: SET_IF_UNCHANGED_SCRIPT });
  redis.defineCommand("aihubRateLimit", { numberOfKeys: 1, lua: RATE_LIMIT_SCRIPT });
  redis.defineCommand("aihubCountInPeriod", { numberOfKeys: 1, lua: COUNT_IN_PERIOD_SCRIPT });
  redis.defineCommand("aihubRateLimitAndCount", { numberOfKeys: 2, lua: RATE_LIMIT_AND_COUNT_SCRIPT });
  return redis as Scripted;
}

export interface RedisStoreOptions {
  /** Milliseconds a command may take before it fails (and the caller falls back). */
  commandTimeoutMs?: number;
  /** After a failed command, how long every command fails at once before one is tried again. */
  breakerOpenMs?: number;
}

const isTimeout = (error: unknown) => error instanceof Error && /timed? ?out/i.test(error.message);

/** The error of a command the breaker refused without asking Redis. */
export class RedisUnavailableError extends Error {
  constructor() {
    super("Redis is unavailable (circuit open)");
  }
}

/**
 * A circuit breaker: once a command fails slowly (`opensOn`: by default a timeout), commands fail
 * at once for `openMs` instead of each waiting out its own timeout — a request making three Redis
 * calls against a hung Redis would otherwise wait three timeouts. After that one command is let
 * through; if it succeeds the circuit closes, if it fails that way it opens again. (A command on
 * a connection that is down already fails at once: no offline queue.)
 */
export function circuitBreaker(openMs: number, now: () => number = Date.now, opensOn: (error: unknown) => boolean = isTimeout) {
  let openUntil = 0;
  let probing = false;
  return async function guarded<T>(command: () => Promise<T>): Promise<T> {
    const t = now();
    if (t < openUntil || (openUntil > 0 && probing)) throw new RedisUnavailableError();
    const probe = openUntil > 0;
    if (probe) probing = true;
    try {
      const result = await command();
      openUntil = 0;
      return result;
    } catch (error) {
      if (opensOn(error)) openUntil = now() + openMs;
      throw error;
    } finally {
      if (probe) probing = false;
    }
  };
}

/**
 * `redis+cluster://host:port,host:port,…` names a Redis Cluster by some of its nodes (the client
 * discovers the rest); any other URL one Redis. In a cluster every multi-key script and MGET
 * touches keys of one hash tag (`{org:…}`, `{apikey-counter:…}`, …), so it runs in one slot.
 */
export function clusterNodesOf(url: string): { host: string; port: number }[] | null {
  const match = /^redis\+cluster:\/\/(.+)$/.exec(url);
  if (!match) return null;
  return (match[1] as string).split(",").map((node) => {
    const [host, port] = node.trim().replace(/\/.*$/, "").split(":");
    return { host: host || "127.0.0.1", port: Number(port) || 6379 };
  });
}

/**
 * Redis with short timeouts: when Redis is down a call fails within the timeout instead of
 * queueing (no offline queue) or retrying for seconds (one retry), so requests fall back fast.
 * The connection keeps reconnecting in the background.
 */
export function createRedisStore(url: string, options: RedisStoreOptions = {}): Store {
  const redisOptions = {
    commandTimeout: options.commandTimeoutMs ?? 100,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 2_000),
  };
  const nodes = clusterNodesOf(url);
  const redis = defineScripts(
    nodes
      ? new Cluster(nodes, {
          redisOptions,
          enableOfflineQueue: false,
          clusterRetryStrategy: (attempt: number) => Math.min(attempt * 100, 2_000),
        })
      : new Redis(url, redisOptions),
  );
  // Connection errors are expected while Redis is down; callers see their own command errors.
  redis.on("error", () => {});
  const guarded = circuitBreaker(options.breakerOpenMs ?? 1_000);

  return {
    kind: "redis",
    get: (key) => guarded(() => redis.get(key)),
    getMany: (keys) => guarded(() => redis.mget(...keys)),
    async ready(timeoutMs) {
      if (redis.status === "ready") return true;
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => done(false), timeoutMs);
        const onReady = () => done(true);
        function done(answer: boolean) {
          clearTimeout(timer);
          redis.off("ready", onReady);
          resolve(answer);
        }
        redis.once("ready", onReady);
      });
    },
    async set(key, value, ttlSeconds) {
      await guarded(() => redis.set(key, value, "EX", ttlSeconds));
    },
    async del(...keys) {
      if (keys.length === 0) return;
      // Keys of different hash tags live in different slots: one DEL each in a cluster.
      if (nodes) await guarded(() => Promise.all(keys.map((key) => redis.del(key))));
      else await guarded(() => redis.del(...keys));
    },
    async hit(key, windowSeconds) {
      return Number(await guarded(() => redis.aihubHit(key, windowSeconds)));
    },
    async bump(key, ttlSeconds) {
      return Number(await guarded(() => redis.aihubBump(key, ttlSeconds)));
    },
    async setIfUnchanged(key, value, ttlSeconds, guardKey, guardValue) {
      // Both keys carry the same {org:…} hash tag, so the script stays in one cluster slot.
      return Number(await guarded(() => redis.aihubSetIfUnchanged(key, guardKey, value, ttlSeconds, guardValue ?? ""))) === 1;
    },
    async rateLimit(key, limit, windowSeconds) {
      const [allowed, retryAfterMs] = await guarded(() => redis.aihubRateLimit(key, limit, windowSeconds * 1000));
      return { allowed: Number(allowed) === 1, retryAfterMs: Number(retryAfterMs) };
    },
    async countInPeriod(key, ttlSeconds) {
      return Number(await guarded(() => redis.aihubCountInPeriod(key, ttlSeconds)));
    },
    async rateLimitAndCount(rateKey, limit, windowSeconds, periodKey, periodTtlSeconds) {
      const [allowed, retryAfterMs, count] = await guarded(() =>
        redis.aihubRateLimitAndCount(rateKey, periodKey, limit, windowSeconds * 1000, periodTtlSeconds),
      );
      const ok = Number(allowed) === 1;
      return { allowed: ok, retryAfterMs: Number(retryAfterMs), count: ok ? Number(count) : null };
    },
    async close() {
      redis.disconnect();
    },
  };
}
