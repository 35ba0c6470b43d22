import { z } from "zod";
import { orgInput, paging, ZMemberRole, ZPermission } from "./common.js";

export const ZListMembersInput = orgInput({
  search: z.string().trim().max(200).optional(),
  role: ZMemberRole.optional(),
  ...paging,
});
export const ZUpdateRoleInput = orgInput({ memberId: z.uuid(), role: ZMemberRole });
export const ZSetPermissionOverrideInput = orgInput({
  memberId: z.uuid(),
  permission: ZPermission,
  effect: z.enum(["grant", "deny"]),
  expiresAt: z.coerce.date().nullable().default(null),
});
export const ZRemovePermissionOverrideInput = orgInput({ memberId: z.uuid(), permission: ZPermission });
export const ZRemoveMemberInput = orgInput({ memberId: z.uuid() });
export const ZLeaveInput = orgInput({});
