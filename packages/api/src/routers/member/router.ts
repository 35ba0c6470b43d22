import { DomainError } from "../../errors.js";
import { orgProcedure } from "../../procedures.js";
import {
  ZLeaveInput,
  ZListMembersInput,
  ZRemoveMemberInput,
  ZRemovePermissionOverrideInput,
  ZSetPermissionOverrideInput,
  ZUpdateRoleInput,
} from "../../schemas/member.js";
import { invalidateMemberAccess } from "../../services/access/member-access.js";
import { recordAudit } from "../../services/audit/audit.js";
import { changeMemberRole } from "../../services/members/change-member-role.js";
import { leaveOrganization, listMembers, removeMember } from "../../services/members/members.js";
import { removePermissionOverride, setPermissionOverride } from "../../services/members/permission-overrides.js";
import { constraintName, orgServiceContext } from "../../services/service-context.js";
import { router } from "../../trpc.js";

export const memberRouter = router({
  list: orgProcedure
    .meta({ permission: "member:read" })
    .input(ZListMembersInput)
    .query(({ ctx, input }) => listMembers(orgServiceContext(ctx), input)),

  updateRole: orgProcedure
    .meta({ permission: "member:update_role" })
    .input(ZUpdateRoleInput)
    .mutation(async ({ ctx, input }) => {
      const service = orgServiceContext(ctx);
      const actor = ctx.org.access.kind === "member" ? ctx.org.access : null;
      const result = await ctx.db
        .withTenant({ orgId: input.orgId }, async (tx) => {
          const change = await changeMemberRole(tx, { orgId: input.orgId, memberId: input.memberId, role: input.role, actor });
          await recordAudit(tx, {
            orgId: input.orgId,
            actor: service.actor,
            action: "member.role_updated",
            target: { type: "member", id: input.memberId },
            before: { role: change.before },
            after: { role: change.after },
            request: service.request,
          });
          return change;
        })
        .catch((error) => {
          if (constraintName(error) === "members_last_owner") {
            throw new DomainError("PRECONDITION_FAILED", "An organization needs at least one owner", { reason: "LAST_OWNER" });
          }
          throw error;
        });
      // After commit: the next call of that user reads the new role.
      await invalidateMemberAccess(ctx.store, input.orgId, [result.userId]);
      return { memberId: input.memberId, role: result.after, previousRole: result.before };
    }),

  setPermissionOverride: orgProcedure
    .meta({ permission: "member:update_permissions" })
    .input(ZSetPermissionOverrideInput)
    .mutation(async ({ ctx, input }) => {
      const service = orgServiceContext(ctx);
      const result = await ctx.db.withTenant({ orgId: input.orgId }, async (tx) => {
        const change = await setPermissionOverride(tx, { ...input, actor: ctx.org.access, grantedByUserId: service.userId });
        await recordAudit(tx, {
          orgId: input.orgId,
          actor: service.actor,
          action: "member.permission_override_set",
          target: { type: "member", id: input.memberId },
          before: change.before,
          after: change.after,
          request: service.request,
        });
        return change;
      });
      await invalidateMemberAccess(ctx.store, input.orgId, [result.userId]);
      const { permission, effect, expiresAt } = result.after;
      return { memberId: input.memberId, permission, effect, expiresAt };
    }),

  removePermissionOverride: orgProcedure
    .meta({ permission: "member:update_permissions" })
    .input(ZRemovePermissionOverrideInput)
    .mutation(async ({ ctx, input }) => {
      const service = orgServiceContext(ctx);
      const result = await ctx.db.withTenant({ orgId: input.orgId }, async (tx) => {
        const change = await removePermissionOverride(tx, { ...input, actor: ctx.org.access });
        await recordAudit(tx, {
          orgId: input.orgId,
          actor: service.actor,
          action: "member.permission_override_removed",
          target: { type: "member", id: input.memberId },
          before: { permission: input.permission },
          request: service.request,
        });
        return change;
      });
      await invalidateMemberAccess(ctx.store, input.orgId, [result.userId]);
      return { memberId: input.memberId, permission: input.permission, removed: true };
    }),

  remove: orgProcedure
    .meta({ permission: "member:remove" })
    .input(ZRemoveMemberInput)
    .mutation(({ ctx, input }) => removeMember(orgServiceContext(ctx), input)),

  leave: orgProcedure
    .meta({ access: "member" })
    .input(ZLeaveInput)
    .mutation(({ ctx }) => leaveOrganization(orgServiceContext(ctx))),
});
