import { createMemoryStore } from "./memory-store.js";
import { createRedisStore } from "./redis-store.js";
import type { Store } from "./store.js";

export { createMemoryStore } from "./memory-store.js";
export { createRedisStore } from "./redis-store.js";
export { orgKey, type Store } from "./store.js";

const KEY = Symbol.for("aihub.store");
type Holder = { [KEY]?: Store };

/**
 * The process's store: Redis when REDIS_URL is set, else in-process (announced once). A Redis
 * command that takes longer than REDIS_COMMAND_TIMEOUT_MS (default 100) counts as Redis being
 * down: callers fall back (permission checks to PostgreSQL, counters to this process).
 */
export function getStore(): Store {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const url = process.env.REDIS_URL;
    if (url) {
      holder[KEY] = createRedisStore(url, { commandTimeoutMs: Number(process.env.REDIS_COMMAND_TIMEOUT_MS) || undefined });
    } else {
      console.warn("REDIS_URL is not set: using an in-process store (permission cache and rate limits are per process).");
      holder[KEY] = createMemoryStore();
    }
  }
  return holder[KEY];
}
