import type { Database } from "@aihub/db";
import type { Identity } from "../../context.js";
import { authenticateApiKey } from "../api-keys/authenticate-api-key.js";
import { looksLikePersonalToken } from "../api-keys/key-format.js";
import { type VerifyDeps, type VerifyResult, verifyApiKey } from "../api-keys/verify-api-key.js";
import { authenticatePersonalToken, verifyPersonalToken } from "./verify-personal-token.js";

/**
 * The one entry point for a presented bearer credential: by its prefix (offline), an organization
 * API key (`aih_…`, with its rate limit and quota) or a personal access token (`aihp_…`). The same
 * answer shape either way; anything else is `not_found`. Callers map every status but `valid`,
 * `rate_limited` and `quota_exceeded` to one generic "invalid credential" answer.
 */
export function verifyBearerToken(deps: VerifyDeps, token: string): Promise<VerifyResult> {
  if (looksLikePersonalToken(token))
    return verifyPersonalToken({ db: deps.db, store: deps.store, now: deps.now, observe: deps.observe }, token);
  return verifyApiKey(deps, token);
}

/** Uncached (seeds, tests, tools): the identity of a presented key or token, or null. */
export function authenticateBearerToken(db: Database, token: string, now = new Date()): Promise<Identity | null> {
  return looksLikePersonalToken(token) ? authenticatePersonalToken(db, token, now) : authenticateApiKey(db, token, now);
}
