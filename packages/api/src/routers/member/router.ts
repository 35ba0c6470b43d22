import { orgProcedure } from "../../procedures.js";
import {
  ZLeaveInput,
  ZLeaveOutput,
  ZListMembersInput,
  ZListMembersOutput,
  ZRemoveMemberInput,
  ZRemoveMemberOutput,
  ZRemovePermissionOverrideInput,
  ZRemovePermissionOverrideOutput,
  ZSetPermissionOverrideInput,
  ZSetPermissionOverrideOutput,
  ZUpdateRoleInput,
  ZUpdateRoleOutput,
} from "../../schemas/member.js";
import { changeMemberRole } from "../../services/members/change-member-role.js";
import { leaveOrganization, listMembers, removeMember } from "../../services/members/members.js";
import { removePermissionOverride, setPermissionOverride } from "../../services/members/permission-overrides.js";
import { router } from "../../trpc.js";

export const memberRouter = router({
  list: orgProcedure
    .meta({ permission: "member:read" })
    .input(ZListMembersInput)
    .output(ZListMembersOutput)
    .query(({ ctx, input }) => listMembers(ctx.service, input)),
  updateRole: orgProcedure
    .meta({ permission: "member:update_role", apiKeys: false })
    .input(ZUpdateRoleInput)
    .output(ZUpdateRoleOutput)
    .mutation(({ ctx, input }) => changeMemberRole(ctx.service, input)),
  setPermissionOverride: orgProcedure
    .meta({ permission: "member:update_permissions", apiKeys: false })
    .input(ZSetPermissionOverrideInput)
    .output(ZSetPermissionOverrideOutput)
    .mutation(({ ctx, input }) => setPermissionOverride(ctx.service, input)),
  removePermissionOverride: orgProcedure
    .meta({ permission: "member:update_permissions", apiKeys: false })
    .input(ZRemovePermissionOverrideInput)
    .output(ZRemovePermissionOverrideOutput)
    .mutation(({ ctx, input }) => removePermissionOverride(ctx.service, input)),
  remove: orgProcedure
    .meta({ permission: "member:remove", apiKeys: false })
    .input(ZRemoveMemberInput)
    .output(ZRemoveMemberOutput)
    .mutation(({ ctx, input }) => removeMember(ctx.service, input)),
  leave: orgProcedure
    .meta({ access: "member" })
    .input(ZLeaveInput)
    .output(ZLeaveOutput)
    .mutation(({ ctx }) => leaveOrganization(ctx.service)),
});
