/**
 * The shared fast store: the permission cache, rate-limit windows and (later) counters.
 * Redis in production; an in-process map when REDIS_URL is unset (one process only).
 * Every method may throw when Redis is unreachable; callers decide what that means (the
 * permission cache falls back to the database, never to "allow").
 */
export interface Store {
  readonly kind: "redis" | "memory";
  get(key: string): Promise<string | null>;
  /** Several keys in one round trip (MGET; on Redis Cluster they must share a hash tag). Optional: callers fall back to `get`. */
  getMany?(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Adds one to a fixed window counter, starting its expiry on the first hit; returns the new count. */
  hit(key: string, windowSeconds: number): Promise<number>;
  /** Adds one to a counter and (re)starts its expiry; returns the new value. */
  bump(key: string, ttlSeconds: number): Promise<number>;
  /**
   * Sets `key` only while `guardKey` still holds `guardValue` (null: absent), atomically. A
   * cache fill guarded by a generation counter cannot overwrite a newer invalidation.
   */
  setIfUnchanged(key: string, value: string, ttlSeconds: number, guardKey: string, guardValue: string | null): Promise<boolean>;
  /**
   * Takes one request from a GCRA limit of `limit` per `windowSeconds` (bursts up to `limit`),
   * atomically: concurrent callers in every process together get exactly `limit` per window.
   * When refused, `retryAfterMs` says when one more request would be allowed.
   */
  rateLimit(key: string, limit: number, windowSeconds: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
  /**
   * Adds one to the counter of a period (e.g. a month's quota) and returns the new count,
   * atomically; the counter expires `ttlSeconds` after its first count (a counter found without
   * an expiry gets one), so it never outlives its period by more than that.
   */
  countInPeriod(key: string, ttlSeconds: number): Promise<number>;
  /**
   * `rateLimit(rateKey, …)` then, only when allowed, `countInPeriod(periodKey, …)`, as one atomic
   * step and (on Redis) one round trip; `count` is null when the rate limit refused. Both keys
   * must share a hash tag. Optional: callers compose the two calls where it is absent.
   */
  rateLimitAndCount?(
    rateKey: string,
    limit: number,
    windowSeconds: number,
    periodKey: string,
    periodTtlSeconds: number,
  ): Promise<{ allowed: boolean; retryAfterMs: number; count: number | null }>;
  /**
   * Resolves true once the store answers, false if it does not within `timeoutMs`. A server
   * waits for it before listening: commands sent before the connection is up fail at once
   * (no offline queue), and a limiter would fall back to per-process counting for them.
   */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Keys hash-tagged by organization, so one org's keys share a Redis Cluster slot. Ids are
 * lower-cased here too (inputs already are): one org, one spelling, one key.
 */
export const orgKey = (orgId: string, ...parts: string[]) => `{org:${orgId.toLowerCase()}}:${parts.join(":").toLowerCase()}`;
