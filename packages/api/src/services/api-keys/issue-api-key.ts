import type { Database } from "@aihub/db";
import { DomainError } from "../../errors.js";
import { type ActorAccess, withinOwnPermissions } from "../../rbac/access.js";
import type { Permission } from "../../rbac/permissions.js";
import { generateApiKey, hashApiKey, type KeyEnvironment } from "./key-format.js";

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
 * key). Returns the full key once; only its hash is stored.
 */
export async function issueApiKey(db: Database, creator: { userId: string; access: ActorAccess }, input: IssueApiKeyInput) {
  const { ok, beyond } = withinOwnPermissions(creator.access, input.scopes);
  if (!ok) {
    throw new DomainError("FORBIDDEN", `A key cannot have scopes you do not hold: ${beyond.join(", ")}`, {
      beyond,
      reason: "SCOPES_BEYOND_OWN",
    });
  }
  const { key, prefix } = generateApiKey(input.environment);
  const record = await db.forTenant({ orgId: input.orgId }).orgApiKey.create({
    data: {
      organizationId: input.orgId,
      name: input.name,
      keyHash: hashApiKey(key),
      keyPrefix: prefix,
      scopes: [...new Set(input.scopes)],
      teamId: input.teamId ?? null,
      expiresAt: input.expiresAt ?? null,
      rateLimitPerMinute: input.rateLimitPerMinute,
      monthlyQuota: input.monthlyQuota,
      createdById: creator.userId,
    },
    omit: { keyHash: true },
  });
  return { key, record };
}
