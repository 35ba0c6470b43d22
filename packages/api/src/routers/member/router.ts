import { z } from "zod";
import { orgProcedure } from "../../procedures.js";
import { orgInput, ZMemberRole, ZPermission } from "../../schemas.js";
import { invalidateMemberAccess } from "../../services/access/member-access.js";
import { changeMemberRole } from "../../services/members/change-member-role.js";
import { removePermissionOverride, setPermissionOverride } from "../../services/members/permission-overrides.js";
import { router } from "../../trpc.js";

export const ZUpdateRoleInput = orgInput({ memberId: z.uuid(), role: ZMemberRole });
export const ZSetPermissionOverrideInput = orgInput({
  memberId: z.uuid(),
  permission: ZPermission,
  effect: z.enum(["grant", "deny"]),
  expiresAt: z.coerce.date().nullable().default(null),
});
export const ZRemovePermissionOverrideInput = orgInput({ memberId: z.uuid(), permission: ZPermission });

export const memberRouter = router({
  updateRole: orgProcedure
    .meta({ permission: "member:update_role" })
    .input(ZUpdateRoleInput)
    .mutation(async ({ ctx, input }) => {
      const actor = ctx.org.access.kind === "member" ? ctx.org.access : null;
      const result = await ctx.db.withTenant({ orgId: input.orgId }, (tx) =>
        changeMemberRole(tx, { orgId: input.orgId, memberId: input.memberId, role: input.role, actor }),
      );
      // After commit: the next call of that user reads the new role.
      await invalidateMemberAccess(ctx.store, input.orgId, [result.userId]);
      return { memberId: input.memberId, role: result.after, previousRole: result.before };
    }),

  setPermissionOverride: orgProcedure
    .meta({ permission: "member:update_permissions" })
    .input(ZSetPermissionOverrideInput)
    .mutation(async ({ ctx, input }) => {
      const grantedByUserId = ctx.org.actor.type === "user" ? ctx.org.actor.userId : null;
      const result = await ctx.db.withTenant({ orgId: input.orgId }, (tx) =>
        setPermissionOverride(tx, { ...input, actor: ctx.org.access, grantedByUserId }),
      );
      await invalidateMemberAccess(ctx.store, input.orgId, [result.userId]);
      const { permission, effect, expiresAt } = result.after;
      return { memberId: input.memberId, permission, effect, expiresAt };
    }),

  removePermissionOverride: orgProcedure
    .meta({ permission: "member:update_permissions" })
    .input(ZRemovePermissionOverrideInput)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.db.withTenant({ orgId: input.orgId }, (tx) =>
        removePermissionOverride(tx, { ...input, actor: ctx.org.access }),
      );
      await invalidateMemberAccess(ctx.store, input.orgId, [result.userId]);
      return { memberId: input.memberId, permission: input.permission, removed: true };
    }),
});
