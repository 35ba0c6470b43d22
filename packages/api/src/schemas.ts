import { z } from "zod";
import { PERMISSIONS, type Permission } from "./rbac/permissions.js";
import { MEMBER_ROLES } from "./rbac/roles.js";

/**
 * Input of an organization-scoped procedure: `orgId` plus the fields given, and nothing else —
 * unknown keys (a smuggled `organizationId`, `role`, `ownerId`…) are refused, not ignored.
 */
export function orgInput<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject({ orgId: z.uuid(), ...shape });
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
