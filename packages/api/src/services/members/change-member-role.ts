import { DomainError, notFound } from "../../errors.js";
import { atLeast, type MemberRole } from "../../rbac/roles.js";
import { invalidateMemberAccess } from "../access/member-access.js";
import { audit } from "../audit/audit.js";
import { type OrgServiceContext, rethrowLastOwner } from "../service-context.js";
import { assertMayActOnMember, lockOwners } from "./member-guards.js";

/**
 * Changes a member's role. Invariants: nobody grants a role above their own; only owners touch
 * owners; the org always keeps an owner — the owners are locked first, so two concurrent
 * demotions of the last two owners cannot both pass (and the database's deferred trigger
 * refuses it anyway).
 */
export async function changeMemberRole(ctx: OrgServiceContext, input: { memberId: string; role: MemberRole }) {
  const actor = ctx.access.kind === "member" ? ctx.access : null;
  const change = await ctx.db
    .withTenant({ orgId: ctx.orgId }, async (tx) => {
      const owners = await lockOwners(tx, ctx.orgId);
      const target = await tx.member.findUnique({ where: { id: input.memberId } });
      if (!target || target.organizationId !== ctx.orgId) throw notFound("Member");
      if (actor && !atLeast(actor.role, input.role)) {
        throw new DomainError("FORBIDDEN", "You cannot give a role above your own", { reason: "ROLE_ABOVE_OWN" });
      }
      assertMayActOnMember(ctx, target.role, "change the role of");
      if (target.role === "owner" && input.role !== "owner" && owners.length <= 1) {
        throw new DomainError("PRECONDITION_FAILED", "An organization needs at least one owner", { reason: "LAST_OWNER" });
      }
      if (target.role !== input.role) await tx.member.update({ where: { id: target.id }, data: { role: input.role } });
      await audit(tx, ctx, {
        action: "member.role_updated",
        targetId: target.id,
        before: { role: target.role },
        after: { role: input.role },
      });
      return { userId: target.userId, before: target.role, after: input.role };
    })
    .catch(rethrowLastOwner);
  // After commit: the next call of that user reads the new role.
  await invalidateMemberAccess(ctx.store, ctx.orgId, [change.userId]);
  return { memberId: input.memberId, role: change.after, previousRole: change.before };
}
