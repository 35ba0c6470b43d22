import type { Database } from "@aihub/db";
import type { Identity } from "../../context.js";
import { isPermission } from "../../rbac/permissions.js";
import { hashApiKey, looksLikeApiKey } from "./key-format.js";

interface KeyRow {
  id: string;
  organization_id: string;
  team_id: string | null;
  scopes: string[];
  status: "active" | "revoked" | "expired";
  expires_at: Date | null;
}

/**
 * Turns a presented key into an identity, or null. The stored value is a keyed hash of a
 * 256-bit secret, so finding it by index equality leaks nothing useful about other keys
 * (no constant-time compare of the plaintext is needed). The key's org is unknown until it is
 * found, so the lookup goes through the database's narrow definer function, not the tenant client.
 */
export async function authenticateApiKey(db: Database, presented: string, now = new Date()): Promise<Identity | null> {
  if (!looksLikeApiKey(presented)) return null;
  const hash = hashApiKey(presented);
  const rows = await db.prisma.$queryRaw<KeyRow[]>`SELECT * FROM api_key_lookup(${hash})`;
  const key = rows[0];
  if (key?.status !== "active" || (key.expires_at !== null && key.expires_at <= now)) return null;
  return {
    kind: "api_key",
    apiKeyId: key.id,
    orgId: key.organization_id,
    teamId: key.team_id,
    scopes: key.scopes.filter(isPermission),
  };
}
