import type { TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import type { MemberAccess } from "../../rbac/access.js";
import { atLeast, type MemberRole } from "../../rbac/roles.js";

/**
 * Changes a member's role. Invariants: nobody grants a role above their own; only owners touch
 * owners; the org always keeps an owner — the owners are locked first, so two concurrent
 * demotions of the last two owners cannot both pass.
 */
export async function changeMemberRole(
  tx: TenantTransaction,
  input: { orgId: string; memberId: string; role: MemberRole; actor: MemberAccess | null },
): Promise<{ userId: string; before: MemberRole; after: MemberRole }> {
  const owners = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM members WHERE organization_id = ${input.orgId}::uuid AND role = 'owner' FOR UPDATE`;
  const target = await tx.member.findUnique({ where: { id: input.memberId } });
  if (!target || target.organizationId !== input.orgId) throw notFound("Member");

  if (input.actor) {
    if (!atLeast(input.actor.role, input.role)) {
      throw new DomainError("FORBIDDEN", "You cannot give a role above your own", { reason: "ROLE_ABOVE_OWN" });
    }
    if (target.role === "owner" && input.actor.role !== "owner") {
      throw new DomainError("FORBIDDEN", "Only an owner can change an owner's role", { reason: "OWNER_PROTECTED" });
    }
  }
  if (target.role === "owner" && input.role !== "owner" && owners.length <= 1) {
    throw new DomainError("PRECONDITION_FAILED", "An organization needs at least one owner", { reason: "LAST_OWNER" });
  }
  if (target.role !== input.role) await tx.member.update({ where: { id: target.id }, data: { role: input.role } });
  return { userId: target.userId, before: target.role, after: input.role };
}
