import type { Database } from "@aihub/db";
import type { ActorAccess } from "../../rbac/access.js";
import type { Permission } from "../../rbac/permissions.js";
import { capScopes, insertApiKey } from "./api-keys.js";
import type { KeyEnvironment } from "./key-format.js";

export interface IssueApiKeyInput {
  orgId: string;
  name: string;
  scopes: Permission[];
  teamId?: string | null;
  expiresAt?: Date | null;
  rateLimitPerMinute?: number;
  monthlyQuota?: number;
  environment?: KeyEnvironment;
}

/**
 * Creates a key whose scopes are capped by its creator's own permissions (no escalation by
 * key), without an audit event: for seeds and tests. The product creates keys with
 * `apiKey.create` (services/api-keys/api-keys.ts), audited. Returns the full key once; only
 * its hash is stored.
 */
export async function issueApiKey(db: Database, creator: { userId: string; access: ActorAccess }, input: IssueApiKeyInput) {
  capScopes(creator.access, input.scopes);
  return db.withTenant({ orgId: input.orgId }, (tx) => insertApiKey(tx, input.orgId, creator.userId, input));
}
