import { createHmac } from "node:crypto";
import type { Database } from "@aihub/db";
import type { Identity } from "../../context.js";
import { isPermission } from "../../rbac/permissions.js";
import { createMemoryStore, type Store } from "../../store/index.js";
import { hashApiKey, looksLikePersonalToken } from "../api-keys/key-format.js";
import type { VerifyObserver, VerifyResult } from "../api-keys/verify-api-key.js";

/**
 * Verification of a presented personal access token, cached exactly like organization keys
 * (verify-api-key.ts): under an HMAC of the token's stored hash, in the store (30 s for a found
 * token, 5 s for an unknown one) and in a bounded in-process map read only while the store is
 * down (entries ≤ 1 s old). Revoking bumps the token's generation and deletes its entry after
 * the commit, and a fill writes back only while the generation it read first is unchanged, so a
 * revocation reaches every process on its next request (within 1 s with Redis down).
 *
 * A valid token's identity is its person and its scopes; what it may do in an organization is
 * decided per request from the person's current access there (so a demotion narrows it at once).
 * A deleted user's tokens are deleted with them (ON DELETE CASCADE): not found.
 */
export type PersonalTokenStatus = "valid" | "not_found" | "revoked" | "expired";

export interface PersonalTokenRow {
  id: string;
  user_id: string;
  scopes: string[];
  expires_at: Date;
  revoked_at: Date | null;
}

export type PersonalTokenLookup = (db: Database, tokenHash: string) => Promise<PersonalTokenRow | null>;

/** The database's narrow definer function (the token's user is unknown until it is found). */
export const lookupPersonalTokenRow: PersonalTokenLookup = async (db, tokenHash) => {
  const rows = await db.prisma.$queryRaw<PersonalTokenRow[]>`SELECT * FROM personal_access_token_lookup(${tokenHash})`;
  return rows[0] ?? null;
};

export const PERSONAL_TOKEN_CACHE_TTL_SECONDS = 30;
export const PERSONAL_TOKEN_NEGATIVE_TTL_SECONDS = 5;
const LOCAL_TTL_MS = 1_000;
const LOCAL_MAX_ENTRIES = 10_000;
const GENERATION_TTL_SECONDS = 3_600;
const LAST_USED_INTERVAL_SECONDS = 60;

interface LocalEntry {
  row: PersonalTokenRow | null;
  storedAt: number;
}

/** A bounded in-process map, oldest entry evicted first; entries are read only within 1 s. */
export class LocalTokenCache {
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
  set(id: string, row: PersonalTokenRow | null, now: number): void {
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
}

const LOCAL = Symbol.for("aihub.personal-token-cache");
type Holder = { [LOCAL]?: LocalTokenCache };
function processTokenCache(): LocalTokenCache {
  const holder = globalThis as Holder;
  holder[LOCAL] ??= new LocalTokenCache();
  return holder[LOCAL];
}

// Used when the store cannot be reached: last-used throttling stays per process.
const fallbackStore = createMemoryStore();

function cacheIdOfHash(tokenHash: string): string {
  return createHmac("sha256", "aihub:personal-token-cache:v1").update(tokenHash).digest("hex").slice(0, 40);
}
const entryKey = (id: string) => `{pat:${id}}:entry`;
const generationKey = (id: string) => `{pat:${id}}:gen`;

export interface PersonalTokenVerifyDeps {
  db: Database;
  store: Store;
  /** Defaults to this process's cache. */
  localCache?: LocalTokenCache;
  /** Defaults to the database's definer function. */
  lookup?: PersonalTokenLookup;
  now?: () => Date;
  observe?: VerifyObserver;
}

/** What a looked-up token is worth at `now`. */
export function personalTokenStatus(row: PersonalTokenRow | null, now: Date): PersonalTokenStatus {
  if (!row) return "not_found";
  if (row.revoked_at !== null) return "revoked";
  if (row.expires_at <= now) return "expired";
  return "valid";
}

/** The identity a valid token gives its caller: its person, held to its scopes. */
export function identityOfPersonalToken(row: PersonalTokenRow): Identity & { kind: "personal_token" } {
  return { kind: "personal_token", userId: row.user_id, tokenId: row.id, scopes: row.scopes.filter(isPermission) };
}

const encode = (row: PersonalTokenRow | null) => JSON.stringify({ r: row });
function decode(raw: string): PersonalTokenRow | null {
  const { r } = JSON.parse(raw) as {
    r: (Omit<PersonalTokenRow, "expires_at" | "revoked_at"> & { expires_at: string; revoked_at: string | null }) | null;
  };
  return r ? { ...r, expires_at: new Date(r.expires_at), revoked_at: r.revoked_at === null ? null : new Date(r.revoked_at) } : null;
}

async function loadRow(deps: PersonalTokenVerifyDeps, presented: string, id: string, nowMs: number): Promise<PersonalTokenRow | null> {
  const local = deps.localCache ?? processTokenCache();
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
  const row = await (deps.lookup ?? lookupPersonalTokenRow)(deps.db, hashApiKey(presented));
  found("database");
  local.set(id, row, nowMs);
  if (storeUp) {
    const ttl = row ? PERSONAL_TOKEN_CACHE_TTL_SECONDS : PERSONAL_TOKEN_NEGATIVE_TTL_SECONDS;
    await deps.store.setIfUnchanged(entryKey(id), encode(row), ttl, generationKey(id), generation).catch(() => false);
  }
  return row;
}

/** Writes the token's last-used time at most once a minute per token (per process while Redis is down). */
async function touchLastUsed(deps: PersonalTokenVerifyDeps, row: PersonalTokenRow, now: Date): Promise<void> {
  const throttle = `{pat:${row.id}}:last-used`;
  let count: number;
  try {
    count = await deps.store.hit(throttle, LAST_USED_INTERVAL_SECONDS);
  } catch {
    count = await fallbackStore.hit(throttle, LAST_USED_INTERVAL_SECONDS);
  }
  if (count !== 1) return;
  try {
    await deps.db.withTenant({ orgId: null, userId: row.user_id }, (tx) =>
      tx.personalAccessToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: now } }),
    );
  } catch (error) {
    // Bookkeeping only: a failed write never refuses the request.
    console.error(JSON.stringify({ level: "warn", path: "personal-token.last-used", message: String(error) }));
  }
}

/** Verifies a presented personal access token. The answer never carries the token. */
export async function verifyPersonalToken(deps: PersonalTokenVerifyDeps, presented: string): Promise<VerifyResult> {
  if (!looksLikePersonalToken(presented)) return { status: "not_found" };
  const now = deps.now?.() ?? new Date();
  const id = cacheIdOfHash(hashApiKey(presented));
  const row = await loadRow(deps, presented, id, now.getTime());
  const status = personalTokenStatus(row, now);
  if (status !== "valid" || !row) return { status };
  await touchLastUsed(deps, row, now);
  return { status, identity: identityOfPersonalToken(row) };
}

/** Uncached, for seeds, tests and one-off tools: the same lookup and rules as the verifier. */
export async function authenticatePersonalToken(db: Database, presented: string, now = new Date()): Promise<Identity | null> {
  if (!looksLikePersonalToken(presented)) return null;
  const row = await lookupPersonalTokenRow(db, hashApiKey(presented));
  return personalTokenStatus(row, now) === "valid" && row ? identityOfPersonalToken(row) : null;
}

/**
 * After a token's change has committed: later verifications in every process read the database
 * again (bump first, so a fill that read the old row does not write it back; then delete).
 */
export async function invalidatePersonalTokenCache(store: Store, tokenHashes: string[]): Promise<void> {
  const local = processTokenCache();
  for (const tokenHash of tokenHashes) {
    const id = cacheIdOfHash(tokenHash);
    local.delete(id);
    try {
      await store.bump(generationKey(id), GENERATION_TTL_SECONDS);
      await store.del(entryKey(id));
    } catch {
      // Redis unreachable: its entry expires within PERSONAL_TOKEN_CACHE_TTL_SECONDS (documented bound).
    }
  }
}

/** The same, for a presented token (tests and tools that change a token behind the product's back). */
export function forgetPersonalToken(store: Store, presented: string): Promise<void> {
  return invalidatePersonalTokenCache(store, [hashApiKey(presented)]);
}
