import { z } from "zod";
import { orgInput, page, paging, ZId, ZInstant, ZMemberRole, ZOutId, ZPermission, ZPermissionOverrideOutput } from "./common.js";

export const ZListMembersInput = orgInput({
  search: z.string().trim().max(200).optional(),
  role: ZMemberRole.optional(),
  ...paging,
});
export const ZUpdateRoleInput = orgInput({ memberId: ZId, role: ZMemberRole });
export const ZSetPermissionOverrideInput = orgInput({
  memberId: ZId,
  permission: ZPermission,
  effect: z.enum(["grant", "deny"]),
  expiresAt: z.coerce.date().nullable().default(null),
});
export const ZRemovePermissionOverrideInput = orgInput({ memberId: ZId, permission: ZPermission });
export const ZRemoveMemberInput = orgInput({ memberId: ZId });
export const ZLeaveInput = orgInput({});

export const ZMemberListItemOutput = z.object({
  id: ZOutId,
  role: ZMemberRole,
  joinedAt: ZInstant,
  user: z.object({ id: ZOutId, email: z.string(), name: z.string().nullable(), image: z.string().nullable() }),
  teamMemberships: z.array(z.object({ teamId: ZOutId, role: z.enum(["lead", "member"]) })),
  permissionOverrides: z.array(ZPermissionOverrideOutput),
});
export const ZListMembersOutput = page(ZMemberListItemOutput);
export const ZUpdateRoleOutput = z.object({ memberId: ZOutId, role: ZMemberRole, previousRole: ZMemberRole });
export const ZSetPermissionOverrideOutput = ZPermissionOverrideOutput.extend({ memberId: ZOutId });
export const ZRemovePermissionOverrideOutput = z.object({ memberId: ZOutId, permission: ZPermission, removed: z.boolean() });
export const ZRemoveMemberOutput = z.object({ memberId: ZOutId, removed: z.boolean() });
export const ZLeaveOutput = z.object({ left: z.boolean() });
