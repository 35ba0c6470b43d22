import { createMemoryStore, createRedisStore, type Store } from "../store/index.js";

/** The machine's Redis, as the tests use it. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Both kinds of store, for behaviour that must hold on each: `describe.each(BOTH_STORES)`.
 * Redis commands get a generous timeout here: tests check answers, not latency.
 */
export const BOTH_STORES = [
  ["in-process store", (): Store => createMemoryStore()],
  ["Redis store", (): Store => createRedisStore(TEST_REDIS_URL, { commandTimeoutMs: 1_000 })],
] as const;
