import { createHmac } from "node:crypto";
import type { Database } from "@aihub/db";
import type { Identity } from "../../context.js";
import { isPermission } from "../../rbac/permissions.js";
import { createMemoryStore, type Store } from "../../store/index.js";
import { hashApiKey, looksLikeApiKey } from "./key-format.js";
import { quotaPeriod } from "./quota-period.js";

/**
 * Verification of a presented organization API key on the hot path, with an explicit status.
 * A good key is then held to its rate limit (per minute) and its monthly quota (per calendar
 * month in the organization's time zone), in that order: a rate-limited request uses no quota.
 *
 * Results (found rows and "no such key") are cached under an HMAC of the key's stored hash —
 * never the key, never the stored hash itself — in the store (Redis: 30 s for a found key, 5 s
 * for an unknown one) and in a bounded in-process map whose entries live at most 1 s and are
 * used only when the store cannot be reached. A Redis hit costs one GET and no PostgreSQL round trip.
 *
 * Revoke, rotate and update (api-keys.ts) bump the key's generation and delete its entry after
 * their transaction commits; a fill that read the database before such a change writes back only
 * while the generation it read first is unchanged (one atomic script), so no process serves the
 * old answer from Redis after the change. They also drop this process's in-process entry; other
 * processes' in-process entries are read only while Redis is down, and live ≤ 1 s.
 */
export type ApiKeyStatus = "valid" | "not_found" | "revoked" | "expired" | "org_deleted" | "rate_limited" | "quota_exceeded";

export interface VerifyResult {
  status: ApiKeyStatus;
  identity?: Identity;
  retryAfterSeconds?: number;
}

/** What the lookup returns (the columns the verifier needs). */
export interface ApiKeyRow {
  id: string;
  organization_id: string;
  team_id: string | null;
  scopes: string[];
  status: "active" | "revoked" | "expired";
  expires_at: Date | null;
  rate_limit_per_minute: number;
  monthly_quota: number;
  counter_id: string;
  /** The key's organization: active or deleted (keys of suspended organizations are not found). */
  org_status: "active" | "deleted";
  /** The organization's IANA time zone: the monthly quota counts calendar months there. */
  org_timezone: string;
}

export type ApiKeyLookup = (db: Database, keyHash: string) => Promise<ApiKeyRow | null>;

/** The database's narrow definer function (the key's org is unknown until it is found). */
export const lookupApiKeyRow: ApiKeyLookup = async (db, keyHash) => {
  const rows = await db.prisma.$queryRaw<ApiKeyRow[]>`SELECT * FROM api_key_lookup(${keyHash})`;
  return rows[0] ?? null;
};

export const API_KEY_CACHE_TTL_SECONDS = 30;
export const API_KEY_NEGATIVE_TTL_SECONDS = 5;
export const LOCAL_TTL_MS = 1_000;
const LOCAL_MAX_ENTRIES = 10_000;
const GENERATION_TTL_SECONDS = 3_600;
const LAST_USED_INTERVAL_SECONDS = 60;

interface LocalEntry {
  row: ApiKeyRow | null;
  storedAt: number;
}

/** A bounded in-process map, oldest entry evicted first; entries are read only within LOCAL_TTL_MS. */
export class LocalKeyCache {
  private readonly entries = new Map<string, LocalEntry>();
  constructor(private readonly maxEntries = LOCAL_MAX_ENTRIES) {}
  get(id: string, now: number): LocalEntry | undefined {
    const entry = this.entries.get(id);
    if (entry && now - entry.storedAt > LOCAL_TTL_MS) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }
  set(id: string, row: ApiKeyRow | null, now: number): void {
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

const LOCAL = Symbol.for("aihub.api-key-cache");
type Holder = { [LOCAL]?: LocalKeyCache };
/** This process's in-process cache (the one revoke, rotate and update drop entries from). */
export function processKeyCache(): LocalKeyCache {
  const holder = globalThis as Holder;
  holder[LOCAL] ??= new LocalKeyCache();
  return holder[LOCAL];
}

// Used when the store cannot be reached: last-used throttling stays per process.
const fallbackStore = createMemoryStore();

/** The cache id of a key, from its stored hash (so revoke, which knows only the hash, finds it). */
export function cacheIdOfHash(keyHash: string): string {
  return createHmac("sha256", "aihub:api-key-cache:v1").update(keyHash).digest("hex").slice(0, 40);
}
// One hash tag per key: the entry and its generation share a cluster slot (atomic guarded fill).
const entryKey = (id: string) => `{apikey:${id}}:entry`;
const generationKey = (id: string) => `{apikey:${id}}:gen`;

export interface VerifyDeps {
  db: Database;
  store: Store;
  /** Defaults to this process's cache. */
  localCache?: LocalKeyCache;
  /** Defaults to the database's definer function. */
  lookup?: ApiKeyLookup;
  now?: () => Date;
  /** Told where each verification spent its time (the gateway's metrics and Server-Timing). */
  observe?: VerifyObserver;
}

/** Where the key's row came from, and how long the counters took. */
export interface VerifyObserver {
  /** "store": the Redis cache; "local": the in-process cache (store down); "database": PostgreSQL. */
  row?(source: "store" | "local" | "database", ms: number): void;
  /** The rate limit and monthly quota counters together. */
  limits?(ms: number): void;
}

/** What a looked-up key is worth at `now` (the rate limit aside). */
export function statusOf(row: ApiKeyRow | null, now: Date): ApiKeyStatus {
  if (!row) return "not_found";
  // (A row cached before this column existed has none: its org was active when it was read.)
  if (row.org_status === "deleted") return "org_deleted";
  if (row.status === "revoked") return "revoked";
  if (row.status === "expired" || (row.expires_at !== null && row.expires_at <= now)) return "expired";
  return "valid";
}

const encode = (row: ApiKeyRow | null) => JSON.stringify(row ? { r: row } : { r: null });
function decode(raw: string): ApiKeyRow | null {
  const { r } = JSON.parse(raw) as { r: (Omit<ApiKeyRow, "expires_at"> & { expires_at: string | null }) | null };
  return r ? { ...r, expires_at: r.expires_at === null ? null : new Date(r.expires_at) } : null;
}

async function loadRow(deps: VerifyDeps, presented: string, id: string, nowMs: number): Promise<ApiKeyRow | null> {
  const local = deps.localCache ?? processKeyCache();
  const started = performance.now();
  const found = (source: "store" | "local" | "database") => deps.observe?.row?.(source, performance.now() - started);
  let storeUp = true;
  let generation: string | null = null;
  try {
    const raw = await deps.store.get(entryKey(id));
    if (raw !== null) {
      const row = decode(raw);
      local.set(id, row, nowMs);
      found("store");
      return row;
    }
    generation = await deps.store.get(generationKey(id));
  } catch {
    storeUp = false;
    const entry = local.get(id, nowMs);
    if (entry) {
      found("local");
      return entry.row;
    }
  }
  const row = await (deps.lookup ?? lookupApiKeyRow)(deps.db, hashApiKey(presented));
  found("database");
  local.set(id, row, nowMs);
  if (storeUp) {
    const ttl = row ? API_KEY_CACHE_TTL_SECONDS : API_KEY_NEGATIVE_TTL_SECONDS;
    await deps.store.setIfUnchanged(entryKey(id), encode(row), ttl, generationKey(id), generation).catch(() => false);
  }
  return row;
}

/** Writes the key's last-used time at most once a minute per key (per process while Redis is down). */
async function touchLastUsed(deps: VerifyDeps, row: ApiKeyRow, now: Date): Promise<void> {
  const throttle = `{apikey:${row.id}}:last-used`;
  let count: number;
  try {
    count = await deps.store.hit(throttle, LAST_USED_INTERVAL_SECONDS);
  } catch {
    count = await fallbackStore.hit(throttle, LAST_USED_INTERVAL_SECONDS);
  }
  if (count !== 1) return;
  try {
    await deps.db.withTenant({ orgId: row.organization_id }, (tx) =>
      tx.orgApiKey.updateMany({ where: { id: row.id }, data: { lastUsedAt: now } }),
    );
  } catch (error) {
    // Bookkeeping only: a failed write never refuses the request.
    console.error(JSON.stringify({ level: "warn", path: "api-key.last-used", message: String(error) }));
  }
}

/**
 * The key's requests per minute, counted under its counter id (shared with the keys it was rotated
 * from), exact across processes (one atomic script). With Redis down: counted per process.
 */
async function takeRequest(deps: VerifyDeps, row: ApiKeyRow): Promise<{ allowed: boolean; retryAfterMs: number }> {
  const key = `{apikey-counter:${row.counter_id}}:rate`;
  try {
    return await deps.store.rateLimit(key, row.rate_limit_per_minute, 60);
  } catch {
    return fallbackStore.rateLimit(key, row.rate_limit_per_minute, 60);
  }
}

/** A quota counter outlives its month by a day (a process whose clock runs late still counts into it). */
const QUOTA_TTL_MARGIN_SECONDS = 86_400;

/**
 * One request against the key's monthly quota (`monthly_quota`, always ≥ 1: the column is NOT NULL
 * with CHECK > 0, so no key is unlimited), counted per calendar month in the organization's time
 * zone under the counter id, exact across processes (one atomic script). With Redis down:
 * counted per process (each process allows up to the quota for what remains of the month).
 */
async function countAgainstQuota(deps: VerifyDeps, row: ApiKeyRow, now: Date): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const period = quotaPeriod(now, row.org_timezone);
  const untilNext = Math.max(1, Math.ceil((period.nextStart.getTime() - now.getTime()) / 1000));
  const key = `{apikey-counter:${row.counter_id}}:quota:${period.month}`;
  const ttl = untilNext + QUOTA_TTL_MARGIN_SECONDS;
  let count: number;
  try {
    count = await deps.store.countInPeriod(key, ttl);
  } catch {
    count = await fallbackStore.countInPeriod(key, ttl);
  }
  return { allowed: count <= row.monthly_quota, retryAfterSeconds: untilNext };
}

/** Verifies a presented key. The answer never carries the key; callers map statuses to public errors. */
export async function verifyApiKey(deps: VerifyDeps, presented: string): Promise<VerifyResult> {
  if (!looksLikeApiKey(presented)) return { status: "not_found" };
  const now = deps.now?.() ?? new Date();
  const id = cacheIdOfHash(hashApiKey(presented));
  const row = await loadRow(deps, presented, id, now.getTime());
  const status = statusOf(row, now);
  if (status !== "valid" || !row) return { status };
  const limitsStarted = performance.now();
  const taken = await takeRequest(deps, row);
  const quota = taken.allowed ? await countAgainstQuota(deps, row, now) : null;
  deps.observe?.limits?.(performance.now() - limitsStarted);
  if (!taken.allowed) return { status: "rate_limited", retryAfterSeconds: Math.max(1, Math.ceil(taken.retryAfterMs / 1000)) };
  if (quota && !quota.allowed) return { status: "quota_exceeded", retryAfterSeconds: quota.retryAfterSeconds };
  await touchLastUsed(deps, row, now);
  return { status, identity: identityOfKey(row) };
}

/** The identity a valid key gives its caller. */
export function identityOfKey(row: ApiKeyRow): Identity & { kind: "api_key" } {
  return { kind: "api_key", apiKeyId: row.id, orgId: row.organization_id, teamId: row.team_id, scopes: row.scopes.filter(isPermission) };
}

/**
 * After a key's change has committed: later verifications in every process read the database
 * again (bump first, so a fill that read the old row does not write it back; then delete).
 */
export async function invalidateApiKeyCache(store: Store, keyHashes: string[]): Promise<void> {
  const local = processKeyCache();
  for (const keyHash of keyHashes) {
    const id = cacheIdOfHash(keyHash);
    local.delete(id);
    try {
      await store.bump(generationKey(id), GENERATION_TTL_SECONDS);
      await store.del(entryKey(id));
    } catch {
      // Redis unreachable: its entry expires within API_KEY_CACHE_TTL_SECONDS (documented bound).
    }
  }
}

/** The same, for a presented key (operators' tools and tests that change a key behind the product's back). */
export function forgetApiKey(store: Store, presented: string): Promise<void> {
  return invalidateApiKeyCache(store, [hashApiKey(presented)]);
}
