import { z } from "zod";
import { PERMISSIONS, type Permission } from "../rbac/permissions.js";
import { MEMBER_ROLES } from "../rbac/roles.js";

/**
 * An id as every input must carry it: a uuid, lower-cased. PostgreSQL compares uuids without
 * regard to case, but cache keys, lock keys and self-checks compare strings, so an id spelled
 * in upper case must never reach them in that spelling.
 */
export const ZId = z.uuid().toLowerCase();

/**
 * Input of an organization-scoped procedure: `orgId` plus the fields given, and nothing else —
 * unknown keys (a smuggled `organizationId`, `role`, `ownerId`…) are refused, not ignored.
 */
export function orgInput<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject({ orgId: ZId, ...shape });
}

export const ZPermission = z.enum(PERMISSIONS as [Permission, ...Permission[]]);
export const ZMemberRole = z.enum(MEMBER_ROLES);
export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .pipe(z.email({ error: "Enter a valid email address" }));
export const ZPassword = z.string().min(10, { error: "Use at least 10 characters" }).max(200, { error: "Use at most 200 characters" });

export const ZSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$/, { error: "3–48 characters: lower-case letters, digits and dashes, not at either end" });
/**
 * Characters that end or reshape a line of text: controls (newlines, tabs, NUL, DEL, C1), the
 * Unicode line and paragraph separators, and bidirectional overrides. In a name they could forge
 * lines of an email or disguise what a reader sees, so names refuse them.
 */
export const LINE_BREAKING_CHARACTERS = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** A display name (organization, team, person): trimmed, NFC-normalised, one plain line. */
export const ZName = z
  .string()
  .trim()
  .normalize("NFC")
  .min(1, { error: "Required" })
  .max(120)
  .refine((name) => !LINE_BREAKING_CHARACTERS.test(name), { error: "Use one line of text, without control characters" });
export const ZTimezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: "Unknown time zone" },
);
export const ZCurrency = z.string().regex(/^[A-Z]{3}$/, { error: "A three-letter ISO 4217 code, e.g. USD" });

/**
 * Paging fields of a list: `cursor` (the last id of the previous page) and `limit`. `direction`
 * is accepted and ignored: tRPC's infinite-query helper sends it, and the lists page forward only.
 */
export const paging = {
  cursor: ZId.nullish(),
  limit: z.number().int().min(1).max(100).default(20),
  direction: z.enum(["forward", "backward"]).optional(),
};

/**
 * Response contracts. Every procedure declares its output with these: an object schema strips
 * fields it does not name, so a new database column never reaches a caller by accident. On the
 * wire (superjson) instants are ISO 8601 strings, ids lower-case uuids; money, when it comes,
 * an exact decimal string.
 */
export const ZOutId = z.string();
/** A Date here; on the REST mirror (plain JSON) an ISO 8601 string, as the OpenAPI document says. */
export const ZInstant = z.date().meta({ format: "date-time" });

/** One page of a list: its items and the cursor of the next page (null on the last). */
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: ZOutId.nullable() });

export const ZPermissionOverrideOutput = z.object({
  permission: ZPermission,
  effect: z.enum(["grant", "deny"]),
  expiresAt: ZInstant.nullable(),
});

export const ZHealthOutput = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.object({
    reachable: z.boolean(),
    backend: z.enum(["postgresql", "pglite"]),
    serverVersion: z.string().nullable(),
    latencyMs: z.number().nullable(),
  }),
  checkedAt: ZInstant,
});
