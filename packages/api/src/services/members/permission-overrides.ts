import type { TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import { type ActorAccess, withinOwnPermissions } from "../../rbac/access.js";
import type { Permission } from "../../rbac/permissions.js";

async function targetMember(tx: TenantTransaction, orgId: string, memberId: string, actor: ActorAccess) {
  const target = await tx.member.findUnique({ where: { id: memberId } });
  if (!target || target.organizationId !== orgId) throw notFound("Member");
  if (target.role === "owner" && !(actor.kind === "member" && actor.role === "owner")) {
    throw new DomainError("FORBIDDEN", "Only an owner can change an owner's permissions", { reason: "OWNER_PROTECTED" });
  }
  if (actor.kind === "member" && actor.memberId === target.id) {
    throw new DomainError("FORBIDDEN", "You cannot change your own permissions", { reason: "SELF" });
  }
  return target;
}

/**
 * Grants or denies one permission to a member, optionally until a time. Nobody grants (or
 * denies) a permission they do not hold themselves.
 */
export async function setPermissionOverride(
  tx: TenantTransaction,
  input: {
    orgId: string;
    memberId: string;
    permission: Permission;
    effect: "grant" | "deny";
    expiresAt: Date | null;
    actor: ActorAccess;
    grantedByUserId: string | null;
  },
) {
  const { ok } = withinOwnPermissions(input.actor, [input.permission]);
  if (!ok) {
    throw new DomainError("FORBIDDEN", `You cannot grant or deny ${input.permission}: you do not hold it`, { reason: "BEYOND_OWN" });
  }
  if (input.expiresAt && input.expiresAt <= new Date()) throw new DomainError("BAD_REQUEST", "The expiry must be in the future");
  const target = await targetMember(tx, input.orgId, input.memberId, input.actor);
  const key = { organizationId_memberId_permission: { organizationId: input.orgId, memberId: target.id, permission: input.permission } };
  const before = await tx.memberPermissionOverride.findUnique({ where: key });
  const after = await tx.memberPermissionOverride.upsert({
    where: key,
    create: {
      organizationId: input.orgId,
      memberId: target.id,
      permission: input.permission,
      effect: input.effect,
      expiresAt: input.expiresAt,
      grantedById: input.grantedByUserId,
    },
    update: { effect: input.effect, expiresAt: input.expiresAt, grantedById: input.grantedByUserId },
  });
  return { userId: target.userId, before, after };
}

export async function removePermissionOverride(
  tx: TenantTransaction,
  input: { orgId: string; memberId: string; permission: Permission; actor: ActorAccess },
) {
  const target = await targetMember(tx, input.orgId, input.memberId, input.actor);
  const removed = await tx.memberPermissionOverride.deleteMany({ where: { memberId: target.id, permission: input.permission } });
  if (removed.count === 0) throw notFound("Override");
  return { userId: target.userId };
}
