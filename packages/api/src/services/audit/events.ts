/**
 * The audit trail's vocabulary: every action, the type of thing it acts on, and the fields of
 * its before/after snapshots that the trail keeps. What an action does not list is dropped
 * before the event is stored (an allow-list: a new column, a token hash, a secret never reaches
 * the trail by accident, while `apiKeyId` or `maxTokens` are kept when an action names them).
 *
 * Configuration changes are audit events. High-volume data-plane writes (usage records, budget
 * reservations and settlements) are not: each event takes the organization's chain lock, which
 * must never sit on the request path of a model call. They are their own records, with their own
 * idempotency, and an action for them is deliberately absent here.
 */
const ORGANIZATION_FIELDS = ["name", "slug", "description", "logoUrl", "plan", "status", "timezone", "currency", "deletedAt"] as const;
const TEAM_FIELDS = ["name", "description", "parentTeamId"] as const;
/** Never the key or its hash: an API key is named by its id (the target), prefix and name. */
const API_KEY_FIELDS = [
  "name",
  "keyPrefix",
  "scopes",
  "teamId",
  "rateLimitPerMinute",
  "monthlyQuota",
  "allowedModels",
  "expiresAt",
  "status",
  "revokedAt",
  "rotatedFromId",
  "replacedById",
] as const;
/** A webhook's host only (some services put a secret in the path), never its signing secret. */
const ALERT_CHANNEL_FIELDS = ["kind", "name", "email", "urlHost", "enabled"] as const;
const BUDGET_FIELDS = ["scope", "scopeId", "periodLimit", "hardLimit", "alertThresholds", "status"] as const;
const INCREASE_FIELDS = [
  "budgetId",
  "amount",
  "increaseUntil",
  "reason",
  "status",
  "requestedById",
  "decidedById",
  "decisionNote",
] as const;
/** Never the provider's credential: only its last four characters. */
const PROVIDER_FIELDS = ["name", "baseUrl", "keyLast4", "models", "modelAliases", "timeoutMs", "status"] as const;
const INVITATION_FIELDS = ["email", "role", "teamIds", "invitedById", "expiresAt", "acceptedAt", "revokedAt"] as const;

export const AUDIT_ACTIONS = {
  "organization.created": { target: "organization", keep: ORGANIZATION_FIELDS },
  "organization.updated": { target: "organization", keep: ORGANIZATION_FIELDS },
  "organization.deleted": { target: "organization", keep: ORGANIZATION_FIELDS },
  "organization.restored": { target: "organization", keep: ORGANIZATION_FIELDS },
  "organization.ownership_transferred": { target: "member", keep: ["newOwner", "previousOwner"] },
  "member.role_updated": { target: "member", keep: ["role"] },
  "member.permission_override_set": { target: "member", keep: ["permission", "effect", "expiresAt", "grantedById"] },
  "member.permission_override_removed": { target: "member", keep: ["permission"] },
  "member.removed": { target: "member", keep: ["userId", "email", "role"] },
  "member.left": { target: "member", keep: ["userId", "email", "role"] },
  "member.joined": { target: "member", keep: ["role", "teamIds"] },
  "invitation.created": { target: "invitation", keep: INVITATION_FIELDS },
  "invitation.revoked": { target: "invitation", keep: [...INVITATION_FIELDS, "reason"] },
  "invitation.resent": { target: "invitation", keep: INVITATION_FIELDS },
  "invitation.accepted": { target: "invitation", keep: [] },
  "team.created": { target: "team", keep: TEAM_FIELDS },
  "team.updated": { target: "team", keep: TEAM_FIELDS },
  "team.moved": { target: "team", keep: ["parentTeamId"] },
  "team.deleted": { target: "team", keep: [...TEAM_FIELDS, "deletedSubTeamIds"] },
  "team.member_added": { target: "team", keep: ["memberId", "role"] },
  "team.member_removed": { target: "team", keep: ["memberId", "role"] },
  "team.member_role_updated": { target: "team", keep: ["memberId", "role"] },
  "api_key.created": { target: "api_key", keep: API_KEY_FIELDS },
  "api_key.updated": { target: "api_key", keep: API_KEY_FIELDS },
  "api_key.revoked": { target: "api_key", keep: [...API_KEY_FIELDS, "reason"] },
  "api_key.rotated": { target: "api_key", keep: API_KEY_FIELDS },
  "budget.created": { target: "budget", keep: BUDGET_FIELDS },
  "budget.updated": { target: "budget", keep: BUDGET_FIELDS },
  "budget.increase_requested": { target: "budget_increase", keep: INCREASE_FIELDS },
  "budget.increase_approved": { target: "budget_increase", keep: INCREASE_FIELDS },
  "budget.increase_denied": { target: "budget_increase", keep: INCREASE_FIELDS },
  "budget.increase_cancelled": { target: "budget_increase", keep: INCREASE_FIELDS },
  "price.set": { target: "model_price", keep: ["model", "inputPrice", "outputPrice", "currency", "effectiveFrom"] },
  "price.removed": { target: "model_price", keep: ["model", "inputPrice", "outputPrice", "currency", "effectiveTo"] },
  "provider.created": { target: "provider_connection", keep: PROVIDER_FIELDS },
  "provider.updated": { target: "provider_connection", keep: [...PROVIDER_FIELDS, "credentialRotated"] },
  "provider.deleted": { target: "provider_connection", keep: PROVIDER_FIELDS },
  "alert_channel.created": { target: "alert_channel", keep: ALERT_CHANNEL_FIELDS },
  "alert_channel.updated": { target: "alert_channel", keep: [...ALERT_CHANNEL_FIELDS, "secretRotated"] },
  "alert_channel.deleted": { target: "alert_channel", keep: ALERT_CHANNEL_FIELDS },
  "audit.retention_updated": { target: "organization", keep: ["auditRetentionDays"] },
  /** Written by the database's purge_audit_events function, never by the application. */
  "audit.purged": { target: "organization", keep: ["throughSeq", "lastHash", "purgedCount", "cutoff"] },
} as const satisfies Record<string, { target: string; keep: readonly string[] }>;

type Actions = typeof AUDIT_ACTIONS;
export type AuditAction = keyof Actions;
export type AuditTargetType = Actions[AuditAction]["target"];
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];
export const AUDIT_TARGET_TYPES = [...new Set(Object.values(AUDIT_ACTIONS).map((a) => a.target))] as AuditTargetType[];

/** A snapshot as a caller passes it: any of the action's kept fields (others are dropped). */
export type Snapshot<A extends AuditAction> = { [K in Actions[A]["keep"][number]]?: unknown };

/**
 * One event, as services write it: the action picks the target's type and which snapshot
 * fields survive. A discriminated union, so `{ action: "team.moved", before: { name } }` does
 * not type-check.
 */
export type AuditEvent = {
  [A in AuditAction]: { action: A; targetId: string; before?: Snapshot<A> | null; after?: Snapshot<A> | null };
}[AuditAction];

/** A stored value: instants as ISO strings, bigints as decimal strings, nested values as they are. */
function storable(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(storable);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, storable(v)]));
  return value;
}

/** The snapshot as stored: only the action's kept fields, or null when nothing is left to keep. */
export function keptFields(action: AuditAction, snapshot: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!snapshot) return null;
  const keep: readonly string[] = AUDIT_ACTIONS[action].keep;
  const kept = Object.entries(snapshot).filter(([key, value]) => keep.includes(key) && value !== undefined);
  return kept.length === 0 ? null : Object.fromEntries(kept.map(([key, value]) => [key, storable(value)]));
}

export const isAuditAction = (value: string): value is AuditAction => Object.hasOwn(AUDIT_ACTIONS, value);
