import type { TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import { type ActorAccess, decide, withinOwnPermissions } from "../../rbac/access.js";
import type { Permission } from "../../rbac/permissions.js";
import { invalidateMemberAccess } from "../access/member-access.js";
import { audit } from "../audit/audit.js";
import type { OrgServiceContext } from "../service-context.js";
import { assertMayActOnMember } from "./member-guards.js";

async function targetMember(tx: TenantTransaction, ctx: OrgServiceContext, memberId: string) {
  const target = await tx.member.findUnique({ where: { id: memberId } });
  if (!target || target.organizationId !== ctx.orgId) throw notFound("Member");
  assertMayActOnMember(ctx, target.role, "change the permissions of");
  if (ctx.access.kind === "member" && ctx.access.memberId === target.id) {
    throw new DomainError("FORBIDDEN", "You cannot change your own permissions", { reason: "SELF" });
  }
  return target;
}

/** Nobody grants, denies or lifts an override of a permission they do not hold themselves. */
function checkHolds(ctx: OrgServiceContext, permission: Permission, verb: string) {
  if (!withinOwnPermissions(ctx.access, [permission]).ok) {
    throw new DomainError("FORBIDDEN", `You cannot ${verb} ${permission}: you do not hold it`, { reason: "BEYOND_OWN" });
  }
}

/**
 * When the actor's authority over `permissions` rests on grants that expire, the earliest of
 * those expiries: what they hand on must not outlive what they hold. Null when nothing expires.
 */
export function authorityExpiry(access: ActorAccess, permissions: Permission[], now = new Date()): Date | null {
  let earliest: Date | null = null;
  for (const permission of permissions) {
    const last = decide(access, permission, { now }).reasons.at(-1);
    if (last?.kind === "grant" && last.expiresAt && (!earliest || last.expiresAt < earliest)) earliest = last.expiresAt;
  }
  return earliest;
}

/**
 * Grants or denies one permission to a member, optionally until a time. Nobody grants (or
 * denies) a permission they do not hold themselves, and a grant ends no later than the
 * granter's own expiring grants it rests on (of that permission, or of the right to grant).
 */
export async function setPermissionOverride(
  ctx: OrgServiceContext,
  input: { memberId: string; permission: Permission; effect: "grant" | "deny"; expiresAt: Date | null },
) {
  checkHolds(ctx, input.permission, "grant or deny");
  const now = new Date();
  if (input.expiresAt && input.expiresAt <= now)
    throw new DomainError("BAD_REQUEST", "The expiry must be in the future", { field: "expiresAt", reason: "EXPIRY_IN_PAST" });
  const ceiling = input.effect === "grant" ? authorityExpiry(ctx.access, [input.permission, "member:update_permissions"], now) : null;
  const expiresAt = ceiling && (!input.expiresAt || input.expiresAt > ceiling) ? ceiling : input.expiresAt;
  const result = await ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const target = await targetMember(tx, ctx, input.memberId);
    const key = { organizationId_memberId_permission: { organizationId: ctx.orgId, memberId: target.id, permission: input.permission } };
    const before = await tx.memberPermissionOverride.findUnique({ where: key });
    const fields = { effect: input.effect, expiresAt, grantedById: ctx.userId };
    const after = await tx.memberPermissionOverride.upsert({
      where: key,
      create: { organizationId: ctx.orgId, memberId: target.id, permission: input.permission, ...fields },
      update: fields,
    });
    await audit(tx, ctx, {
      action: "member.permission_override_set",
      targetId: target.id,
      before,
      after,
    });
    return { userId: target.userId, after };
  });
  await invalidateMemberAccess(ctx.store, ctx.orgId, [result.userId]);
  return { memberId: input.memberId, permission: input.permission, effect: result.after.effect, expiresAt: result.after.expiresAt };
}

/** Lifting an override needs the same right as setting it: an admin denied X cannot lift a peer's deny of X. */
export async function removePermissionOverride(ctx: OrgServiceContext, input: { memberId: string; permission: Permission }) {
  checkHolds(ctx, input.permission, "lift an override of");
  const userId = await ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const target = await targetMember(tx, ctx, input.memberId);
    const removed = await tx.memberPermissionOverride.deleteMany({ where: { memberId: target.id, permission: input.permission } });
    if (removed.count === 0) throw notFound("Override");
    await audit(tx, ctx, {
      action: "member.permission_override_removed",
      targetId: target.id,
      before: { permission: input.permission },
    });
    return target.userId;
  });
  await invalidateMemberAccess(ctx.store, ctx.orgId, [userId]);
  return { memberId: input.memberId, permission: input.permission, removed: true };
}
