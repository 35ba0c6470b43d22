import type { Database } from "@aihub/db";
import type { Identity } from "../../context.js";
import { isPermission } from "../../rbac/permissions.js";
import type { Store } from "../../store/index.js";
import { cachedCredentials, LocalCredentialCache, touchAtMostOncePerMinute } from "../api-keys/credential-cache.js";
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

/** A bounded in-process cache of looked-up tokens (see credential-cache.ts). */
export class LocalTokenCache extends LocalCredentialCache<PersonalTokenRow> {}

const tokenCache = cachedCredentials<PersonalTokenRow>({
  tag: "pat",
  idLabel: "aihub:personal-token-cache:v1",
  positiveTtlSeconds: PERSONAL_TOKEN_CACHE_TTL_SECONDS,
  negativeTtlSeconds: PERSONAL_TOKEN_NEGATIVE_TTL_SECONDS,
  encode: (row) => JSON.stringify({ r: row }),
  decode(raw) {
    const { r } = JSON.parse(raw) as {
      r: (Omit<PersonalTokenRow, "expires_at" | "revoked_at"> & { expires_at: string; revoked_at: string | null }) | null;
    };
    return r ? { ...r, expires_at: new Date(r.expires_at), revoked_at: r.revoked_at === null ? null : new Date(r.revoked_at) } : null;
  },
});

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

/** Writes the token's last-used time at most once a minute per token (per process while Redis is down). */
function touchLastUsed(deps: PersonalTokenVerifyDeps, row: PersonalTokenRow, now: Date): Promise<void> {
  return touchAtMostOncePerMinute(
    deps.store,
    `{pat:${row.id}}:last-used`,
    () =>
      deps.db.withTenant({ orgId: null, userId: row.user_id }, (tx) =>
        tx.personalAccessToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: now } }),
      ),
    "personal-token.last-used",
  );
}

/** Verifies a presented personal access token. The answer never carries the token. */
export async function verifyPersonalToken(deps: PersonalTokenVerifyDeps, presented: string): Promise<VerifyResult> {
  if (!looksLikePersonalToken(presented)) return { status: "not_found" };
  const now = deps.now?.() ?? new Date();
  const tokenHash = hashApiKey(presented);
  const row = await tokenCache.load(deps, tokenCache.idOf(tokenHash), now.getTime(), () =>
    (deps.lookup ?? lookupPersonalTokenRow)(deps.db, tokenHash),
  );
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
 * again (its generation bumped, its entries dropped).
 */
export function invalidatePersonalTokenCache(store: Store, tokenHashes: string[]): Promise<void> {
  return tokenCache.invalidate(store, tokenHashes);
}

/** The same, for a presented token (tests and tools that change a token behind the product's back). */
export function forgetPersonalToken(store: Store, presented: string): Promise<void> {
  return invalidatePersonalTokenCache(store, [hashApiKey(presented)]);
}
