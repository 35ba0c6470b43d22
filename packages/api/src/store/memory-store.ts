import type { Store } from "./store.js";

interface Entry {
  value: string;
  expiresAt: number;
}

/** The in-process store: same contract as Redis, for one process (the embedded default and tests). */
export function createMemoryStore(): Store {
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  // Expired entries are dropped on read; this sweep bounds memory for keys never read again.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  }, 60_000);
  sweep.unref();

  const store: Store = {
    kind: "memory",
    async get(key) {
      return live(key)?.value ?? null;
    },
    async getMany(keys) {
      return keys.map((key) => live(key)?.value ?? null);
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
    },
    async del(...keys) {
      for (const key of keys) entries.delete(key);
    },
    async hit(key, windowSeconds) {
      const entry = live(key);
      const count = entry ? Number(entry.value) + 1 : 1;
      entries.set(key, { value: String(count), expiresAt: entry?.expiresAt ?? Date.now() + windowSeconds * 1000 });
      return count;
    },
    async bump(key, ttlSeconds) {
      const count = Number(live(key)?.value ?? 0) + 1;
      entries.set(key, { value: String(count), expiresAt: Date.now() + ttlSeconds * 1000 });
      return count;
    },
    async setIfUnchanged(key, value, ttlSeconds, guardKey, guardValue) {
      if ((live(guardKey)?.value ?? null) !== guardValue) return false;
      entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
      return true;
    },
    async rateLimit(key, limit, windowSeconds) {
      // GCRA: the entry holds the theoretical arrival time (ms) of the next request.
      const now = Date.now();
      const interval = (windowSeconds * 1000) / limit;
      const tat = Math.max(Number(live(key)?.value ?? now), now);
      const allowAt = tat + interval - windowSeconds * 1000;
      if (now < allowAt) return { allowed: false, retryAfterMs: Math.ceil(allowAt - now) };
      entries.set(key, { value: String(tat + interval), expiresAt: tat + interval });
      return { allowed: true, retryAfterMs: 0 };
    },
    async countInPeriod(key, ttlSeconds) {
      const entry = live(key);
      const count = entry ? Number(entry.value) + 1 : 1;
      entries.set(key, { value: String(count), expiresAt: entry?.expiresAt ?? Date.now() + ttlSeconds * 1000 });
      return count;
    },
    async rateLimitAndCount(rateKey, limit, windowSeconds, periodKey, periodTtlSeconds) {
      // Each step is exact on its own in one process; a refused request counts nothing against the period.
      const taken = await store.rateLimit(rateKey, limit, windowSeconds);
      return { ...taken, count: taken.allowed ? await store.countInPeriod(periodKey, periodTtlSeconds) : null };
    },
    async ready() {
      return true;
    },
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
  return store;
}
