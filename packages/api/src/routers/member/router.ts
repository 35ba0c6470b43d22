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
    .meta({
      permission: "member:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/members",
        tags: ["Members"],
        summary: "The members, searchable and filtered by role",
      },
    })
    .input(ZListMembersInput)
    .output(ZListMembersOutput)
    .query(({ ctx, input }) => listMembers(ctx.service, input)),
  updateRole: orgProcedure
    .meta({
      permission: "member:update_role",
      apiKeys: false,
      openapi: { method: "PATCH", path: "/organizations/{orgId}/members/{memberId}", tags: ["Members"], summary: "Change a member's role" },
    })
    .input(ZUpdateRoleInput)
    .output(ZUpdateRoleOutput)
    .mutation(({ ctx, input }) => changeMemberRole(ctx.service, input)),
  setPermissionOverride: orgProcedure
    .meta({
      permission: "member:update_permissions",
      apiKeys: false,
      openapi: {
        method: "PUT",
        path: "/organizations/{orgId}/members/{memberId}/permission-overrides/{permission}",
        tags: ["Members"],
        summary: "Grant or deny one permission to a member",
      },
    })
    .input(ZSetPermissionOverrideInput)
    .output(ZSetPermissionOverrideOutput)
    .mutation(({ ctx, input }) => setPermissionOverride(ctx.service, input)),
  removePermissionOverride: orgProcedure
    .meta({
      permission: "member:update_permissions",
      apiKeys: false,
      openapi: {
        method: "DELETE",
        path: "/organizations/{orgId}/members/{memberId}/permission-overrides/{permission}",
        tags: ["Members"],
        summary: "Remove a member's permission override",
      },
    })
    .input(ZRemovePermissionOverrideInput)
    .output(ZRemovePermissionOverrideOutput)
    .mutation(({ ctx, input }) => removePermissionOverride(ctx.service, input)),
  remove: orgProcedure
    .meta({
      permission: "member:remove",
      apiKeys: false,
      openapi: {
        method: "DELETE",
        path: "/organizations/{orgId}/members/{memberId}",
        tags: ["Members"],
        summary: "Remove a member from the organization",
      },
    })
    .input(ZRemoveMemberInput)
    .output(ZRemoveMemberOutput)
    .mutation(({ ctx, input }) => removeMember(ctx.service, input)),
  leave: orgProcedure
    .meta({ access: "member" })
    .input(ZLeaveInput)
    .output(ZLeaveOutput)
    .mutation(({ ctx }) => leaveOrganization(ctx.service)),
});
