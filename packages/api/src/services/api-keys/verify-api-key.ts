import type { Database } from "@aihub/db";
import type { Identity } from "../../context.js";
import { isPermission } from "../../rbac/permissions.js";
import { createMemoryStore, type Store } from "../../store/index.js";
import { cachedCredentials, LocalCredentialCache } from "./credential-cache.js";
import { hashApiKey, looksLikeApiKey } from "./key-format.js";
import { noteLastUsed } from "./last-used.js";
import { type QuotaPeriod, quotaPeriod } from "./quota-period.js";

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
  // Through the pool, unnamed statement (fine behind PgBouncer): one round trip, no Prisma query path.
  const { rows } = await db.pool.query<ApiKeyRow>("SELECT * FROM api_key_lookup($1)", [keyHash]);
  return rows[0] ?? null;
};

export const API_KEY_CACHE_TTL_SECONDS = 30;
export const API_KEY_NEGATIVE_TTL_SECONDS = 5;

/** A bounded in-process cache of looked-up keys (see credential-cache.ts). */
export class LocalKeyCache extends LocalCredentialCache<ApiKeyRow> {}

const keyCache = cachedCredentials<ApiKeyRow>({
  tag: "apikey",
  idLabel: "aihub:api-key-cache:v1",
  positiveTtlSeconds: API_KEY_CACHE_TTL_SECONDS,
  negativeTtlSeconds: API_KEY_NEGATIVE_TTL_SECONDS,
  encode: (row) => JSON.stringify(row ? { r: row } : { r: null }),
  decode(raw) {
    const { r } = JSON.parse(raw) as { r: (Omit<ApiKeyRow, "expires_at"> & { expires_at: string | null }) | null };
    return r ? { ...r, expires_at: r.expires_at === null ? null : new Date(r.expires_at) } : null;
  },
});

// Used when the store cannot be reached: rate limits and quotas are counted per process.
const fallbackStore = createMemoryStore();

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

/**
 * `quotaPeriod`, remembered per time zone while it holds: an instant at or after the one it was
 * computed for and before the next month's start is in the same month (time-zone formatting is
 * the costly part of it, and every request needs it).
 */
const knownPeriods = new Map<string, { from: number; period: QuotaPeriod }>();
function currentQuotaPeriod(now: Date, timeZone: string): QuotaPeriod {
  const t = now.getTime();
  const known = knownPeriods.get(timeZone);
  if (known && t >= known.from && t < known.period.nextStart.getTime()) return known.period;
  const period = quotaPeriod(now, timeZone);
  if (knownPeriods.size > 1_000) knownPeriods.clear();
  knownPeriods.set(timeZone, { from: t, period });
  return period;
}

/**
 * The rate limit and, when it allows, the monthly quota: one script and one Redis round trip
 * where the store can (both counters carry the key's counter id as their hash tag), else the
 * two calls in order.
 */
async function takeRequestAndQuota(
  deps: VerifyDeps,
  row: ApiKeyRow,
  now: Date,
): Promise<{ taken: { allowed: boolean; retryAfterMs: number }; quota: { allowed: boolean; retryAfterSeconds: number } | null }> {
  if (!deps.store.rateLimitAndCount) {
    const taken = await takeRequest(deps, row);
    return { taken, quota: taken.allowed ? await countAgainstQuota(deps, row, now) : null };
  }
  const period = currentQuotaPeriod(now, row.org_timezone);
  const untilNext = Math.max(1, Math.ceil((period.nextStart.getTime() - now.getTime()) / 1000));
  const rateKey = `{apikey-counter:${row.counter_id}}:rate`;
  const quotaKey = `{apikey-counter:${row.counter_id}}:quota:${period.month}`;
  const ttl = untilNext + QUOTA_TTL_MARGIN_SECONDS;
  let result: { allowed: boolean; retryAfterMs: number; count: number | null };
  try {
    result = await deps.store.rateLimitAndCount(rateKey, row.rate_limit_per_minute, 60, quotaKey, ttl);
  } catch {
    result = await (fallbackStore.rateLimitAndCount as NonNullable<Store["rateLimitAndCount"]>)(
      rateKey,
      row.rate_limit_per_minute,
      60,
      quotaKey,
      ttl,
    );
  }
  const taken = { allowed: result.allowed, retryAfterMs: result.retryAfterMs };
  if (result.count === null) return { taken, quota: null };
  return { taken, quota: { allowed: result.count <= row.monthly_quota, retryAfterSeconds: untilNext } };
}

/** Verifies a presented key. The answer never carries the key; callers map statuses to public errors. */
export async function verifyApiKey(deps: VerifyDeps, presented: string): Promise<VerifyResult> {
  if (!looksLikeApiKey(presented)) return { status: "not_found" };
  const now = deps.now?.() ?? new Date();
  const keyHash = hashApiKey(presented);
  const row = await keyCache.load(deps, keyCache.idOf(keyHash), now.getTime(), () => (deps.lookup ?? lookupApiKeyRow)(deps.db, keyHash));
  const status = statusOf(row, now);
  if (status !== "valid" || !row) return { status };
  const limitsStarted = performance.now();
  const { taken, quota } = await takeRequestAndQuota(deps, row, now);
  deps.observe?.limits?.(performance.now() - limitsStarted);
  if (!taken.allowed) return { status: "rate_limited", retryAfterSeconds: Math.max(1, Math.ceil(taken.retryAfterMs / 1000)) };
  if (quota && !quota.allowed) return { status: "quota_exceeded", retryAfterSeconds: quota.retryAfterSeconds };
  noteLastUsed(deps.db, row.id, row.organization_id, now);
  return { status, identity: identityOfKey(row) };
}

/** The identity a valid key gives its caller. */
export function identityOfKey(row: ApiKeyRow): Identity & { kind: "api_key" } {
  return { kind: "api_key", apiKeyId: row.id, orgId: row.organization_id, teamId: row.team_id, scopes: row.scopes.filter(isPermission) };
}

/**
 * After a key's change has committed: later verifications in every process read the database
 * again (its generation bumped, its entries dropped).
 */
export function invalidateApiKeyCache(store: Store, keyHashes: string[]): Promise<void> {
  return keyCache.invalidate(store, keyHashes);
}

/** The same, for a presented key (operators' tools and tests that change a key behind the product's back). */
export function forgetApiKey(store: Store, presented: string): Promise<void> {
  return invalidateApiKeyCache(store, [hashApiKey(presented)]);
}
