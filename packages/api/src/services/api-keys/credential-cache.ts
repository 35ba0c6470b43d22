import { createHmac } from "node:crypto";
import { createMemoryStore, type Store } from "../../store/index.js";
import type { VerifyObserver } from "./verify-api-key.js";

/**
 * The cache both kinds of bearer credential share (organization keys, personal tokens): looked-up
 * rows, found or not, under an HMAC of the credential's stored hash — never the credential,
 * never the stored hash itself — in the store (Redis; `positiveTtlSeconds` for a found row,
 * `negativeTtlSeconds` for none) and in a bounded in-process map whose entries live at most
 * 1 s and are read only while the store cannot be reached. A store hit costs one GET and no
 * PostgreSQL round trip.
 *
 * A change (revoke, rotate, update) bumps the entry's generation and deletes the entry after
 * its transaction commits (`invalidate`); a fill that read the database before such a change
 * writes back only while the generation it read first is unchanged (one atomic script), so no
 * process serves the old answer from the store after the change.
 */
export const LOCAL_TTL_MS = 1_000;
const LOCAL_MAX_ENTRIES = 10_000;
const GENERATION_TTL_SECONDS = 3_600;

interface LocalEntry<Row> {
  row: Row | null;
  storedAt: number;
}

/** A bounded in-process map, oldest entry evicted first; entries are read only within LOCAL_TTL_MS. */
export class LocalCredentialCache<Row> {
  private readonly entries = new Map<string, LocalEntry<Row>>();
  constructor(private readonly maxEntries = LOCAL_MAX_ENTRIES) {}
  get(id: string, now: number): LocalEntry<Row> | undefined {
    const entry = this.entries.get(id);
    if (entry && now - entry.storedAt > LOCAL_TTL_MS) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }
  set(id: string, row: Row | null, now: number): void {
    this.entries.delete(id);
    this.entries.set(id, { row, storedAt: now });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
  delete(id: string): void {
    this.entries.delete(id);
  }
  get size(): number {
    return this.entries.size;
  }
}

/** How one kind of credential is cached. */
export interface CredentialCacheSpec<Row> {
  /** The key tag: `{<tag>:<id>}:entry` and `:gen` share a Redis Cluster slot (atomic guarded fill). */
  tag: string;
  /** Keys the HMAC that turns a stored hash into a cache id. */
  idLabel: string;
  positiveTtlSeconds: number;
  negativeTtlSeconds: number;
  encode(row: Row | null): string;
  decode(raw: string): Row | null;
}

export interface CachedCredentials<Row> {
  /** This process's in-process cache (the one `invalidate` drops entries from). */
  readonly local: LocalCredentialCache<Row>;
  /** The cache id of a credential, from its stored hash (so a change, which knows only the hash, finds it). */
  idOf(storedHash: string): string;
  /** The row for `id`: from the store, else (store down) the in-process cache, else `lookup`. */
  load(
    deps: { store: Store; localCache?: LocalCredentialCache<Row>; observe?: VerifyObserver },
    id: string,
    nowMs: number,
    lookup: () => Promise<Row | null>,
  ): Promise<Row | null>;
  /** After a change has committed: every process reads the database again on its next request. */
  invalidate(store: Store, storedHashes: string[]): Promise<void>;
}

export function cachedCredentials<Row>(spec: CredentialCacheSpec<Row>): CachedCredentials<Row> {
  const entryKey = (id: string) => `{${spec.tag}:${id}}:entry`;
  const generationKey = (id: string) => `{${spec.tag}:${id}}:gen`;
  const holderKey = Symbol.for(`aihub.credential-cache.${spec.tag}`);
  const holder = globalThis as { [key: symbol]: LocalCredentialCache<Row> | undefined };
  holder[holderKey] ??= new LocalCredentialCache<Row>();
  const local = holder[holderKey];
  const idOf = (storedHash: string) => createHmac("sha256", spec.idLabel).update(storedHash).digest("hex").slice(0, 40);

  return {
    local,
    idOf,
    async load(deps, id, nowMs, lookup) {
      const cache = deps.localCache ?? local;
      const started = performance.now();
      const found = (source: "store" | "local" | "database") => deps.observe?.row?.(source, performance.now() - started);
      let storeUp = true;
      let generation: string | null = null;
      try {
        // The entry and, for a fill after a miss, its generation: one round trip where the store can.
        const [raw, gen] = deps.store.getMany
          ? await deps.store.getMany([entryKey(id), generationKey(id)])
          : [await deps.store.get(entryKey(id)), undefined];
        if (raw != null) {
          const row = spec.decode(raw);
          cache.set(id, row, nowMs);
          found("store");
          return row;
        }
        generation = gen === undefined ? await deps.store.get(generationKey(id)) : gen;
      } catch {
        storeUp = false;
        const entry = cache.get(id, nowMs);
        if (entry) {
          found("local");
          return entry.row;
        }
      }
      const row = await lookup();
      found("database");
      cache.set(id, row, nowMs);
      if (storeUp) {
        const ttl = row ? spec.positiveTtlSeconds : spec.negativeTtlSeconds;
        await deps.store.setIfUnchanged(entryKey(id), spec.encode(row), ttl, generationKey(id), generation).catch(() => false);
      }
      return row;
    },
    async invalidate(store, storedHashes) {
      for (const storedHash of storedHashes) {
        const id = idOf(storedHash);
        local.delete(id);
        try {
          // Bump first, so a fill that read the old row does not write it back; then delete.
          await store.bump(generationKey(id), GENERATION_TTL_SECONDS);
          await store.del(entryKey(id));
        } catch {
          // Store unreachable: its entry expires within positiveTtlSeconds (documented bound).
        }
      }
    },
  };
}

// Used when the store cannot be reached: last-used throttling stays per process.
const fallbackStore = createMemoryStore();
const LAST_USED_INTERVAL_SECONDS = 60;

/**
 * Runs `write` (a credential's last-used time) at most once a minute per `throttleKey`, across
 * processes (per process while the store is down). Bookkeeping only: a failed write is logged
 * and never refuses the request.
 */
export async function touchAtMostOncePerMinute(
  store: Store,
  throttleKey: string,
  write: () => Promise<unknown>,
  logPath: string,
): Promise<void> {
  let count: number;
  try {
    count = await store.hit(throttleKey, LAST_USED_INTERVAL_SECONDS);
  } catch {
    count = await fallbackStore.hit(throttleKey, LAST_USED_INTERVAL_SECONDS);
  }
  if (count !== 1) return;
  try {
    await write();
  } catch (error) {
    console.error(JSON.stringify({ level: "warn", path: logPath, message: String(error) }));
  }
}
