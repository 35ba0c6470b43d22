import { z } from "zod";
import { orgInput, paging, ZId, ZMemberRole, ZPermission } from "./common.js";

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
