/**
 * Why a call was refused, beyond its code: `error.data.details.reason` (and, for an error about
 * one input field, the text under `error.data.fieldErrors[field]`). A closed list, so clients
 * can translate every one; the console has a message for each in every language (a test checks).
 */
export const ERROR_REASONS = [
  // Members and roles
  "LAST_OWNER",
  "OWNER_PROTECTED",
  "OUTRANKED",
  "ROLE_ABOVE_OWN",
  "BEYOND_OWN",
  "SELF",
  "ALREADY_OWNER",
  "USE_LEAVE",
  "OWNER_ONLY",
  "EXPIRY_IN_PAST",
  // Invitations
  "EMAIL_MISMATCH",
  "EMAIL_NOT_VERIFIED",
  "INVITER_EMAIL_NOT_VERIFIED",
  "INVALID_INVITATION",
  "INVITATION_NOT_PENDING",
  "INVITATION_PENDING",
  "ALREADY_MEMBER",
  // Teams
  "CYCLE",
  "MAX_DEPTH",
  "HAS_SUB_TEAMS",
  "TEAM_NAME_TAKEN",
  "ALREADY_IN_TEAM",
  "MOVE_OUTSIDE_LED_TEAMS",
  // Organizations
  "SLUG_TAKEN",
  "NO_FREE_SLUG",
  "CONFIRM_SLUG_MISMATCH",
  "NOT_DELETED",
  "RESTORE_WINDOW_PASSED",
  // Accounts and keys
  "INVALID_TOKEN",
  "WRONG_PASSWORD",
  "SCOPES_BEYOND_OWN",
  "KEY_NOT_ACTIVE",
  "KEY_ALREADY_ROTATED",
  "RATE_LIMITED",
  "QUOTA_EXCEEDED",
  "TOO_MANY_TOKENS",
  // Budgets and usage
  "BUDGET_EXCEEDED",
  "MODEL_NOT_PRICED",
  "RESERVATION_NOT_ACTIVE",
  "SCOPE_ID_REQUIRED",
  "SCOPE_ID_NOT_ALLOWED",
  "NOT_IN_TEAM",
  "ABOVE_PARENT_BUDGET",
  "INCREASE_NOT_PENDING",
  "INVALID_DATE_RANGE",
  // Provider connections
  "PROVIDER_NAME_TAKEN",
  "PRIVATE_ADDRESS",
  "HOST_NOT_FOUND",
  // Alert channels
  "CHANNEL_KIND_MISMATCH",
  // Values
  "OUT_OF_RANGE",
  "NOT_POSITIVE",
  "NEGATIVE",
  "COST_OR_TOKENS_REQUIRED",
  // Retries
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_IN_PROGRESS",
  // The console's own endpoint
  "CROSS_ORIGIN",
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];

export function isErrorReason(value: unknown): value is ErrorReason {
  return typeof value === "string" && (ERROR_REASONS as readonly string[]).includes(value);
}
