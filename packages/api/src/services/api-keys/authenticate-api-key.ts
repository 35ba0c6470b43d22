import type { Database } from "@aihub/db";
import type { Identity } from "../../context.js";
import { hashApiKey, looksLikeApiKey } from "./key-format.js";
import { identityOfKey, lookupApiKeyRow, statusOf } from "./verify-api-key.js";

/**
 * Turns a presented key into an identity, or null — straight from the database, with no cache
 * and no rate limit (seeds, tests, one-off tools; requests go through `verifyApiKey`). The same
 * lookup and the same rules as the verifier, so the two cannot disagree about a key.
 */
export async function authenticateApiKey(db: Database, presented: string, now = new Date()): Promise<Identity | null> {
  if (!looksLikeApiKey(presented)) return null;
  const row = await lookupApiKeyRow(db, hashApiKey(presented));
  return row && statusOf(row, now) === "valid" ? identityOfKey(row) : null;
}
