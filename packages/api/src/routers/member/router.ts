import { orgProcedure } from "../../procedures.js";
import {
  ZLeaveInput,
  ZListMembersInput,
  ZRemoveMemberInput,
  ZRemovePermissionOverrideInput,
  ZSetPermissionOverrideInput,
  ZUpdateRoleInput,
} from "../../schemas/member.js";
import { changeMemberRole } from "../../services/members/change-member-role.js";
import { leaveOrganization, listMembers, removeMember } from "../../services/members/members.js";
import { removePermissionOverride, setPermissionOverride } from "../../services/members/permission-overrides.js";
import { orgServiceContext } from "../../services/service-context.js";
import { router } from "../../trpc.js";

export const memberRouter = router({
  list: orgProcedure
    .meta({ permission: "member:read" })
    .input(ZListMembersInput)
    .query(({ ctx, input }) => listMembers(orgServiceContext(ctx), input)),
  updateRole: orgProcedure
    .meta({ permission: "member:update_role", apiKeys: false })
    .input(ZUpdateRoleInput)
    .mutation(({ ctx, input }) => changeMemberRole(orgServiceContext(ctx), input)),
  setPermissionOverride: orgProcedure
    .meta({ permission: "member:update_permissions", apiKeys: false })
    .input(ZSetPermissionOverrideInput)
    .mutation(({ ctx, input }) => setPermissionOverride(orgServiceContext(ctx), input)),
  removePermissionOverride: orgProcedure
    .meta({ permission: "member:update_permissions", apiKeys: false })
    .input(ZRemovePermissionOverrideInput)
    .mutation(({ ctx, input }) => removePermissionOverride(orgServiceContext(ctx), input)),
  remove: orgProcedure
    .meta({ permission: "member:remove", apiKeys: false })
    .input(ZRemoveMemberInput)
    .mutation(({ ctx, input }) => removeMember(orgServiceContext(ctx), input)),
  leave: orgProcedure
    .meta({ access: "member" })
    .input(ZLeaveInput)
    .mutation(({ ctx }) => leaveOrganization(orgServiceContext(ctx))),
});
