import { z } from "zod";
import { orgInput, paging, ZEmail, ZId, ZMemberRole } from "./common.js";

export const ZCreateInvitationInput = orgInput({
  email: ZEmail,
  role: ZMemberRole.default("member"),
  teamIds: z.array(ZId).max(50).default([]),
});
export const ZListInvitationsInput = orgInput({
  status: z.enum(["pending", "all"]).default("pending"),
  ...paging,
});
export const ZInvitationIdInput = orgInput({ invitationId: ZId });
export const ZAcceptInvitationInput = z.strictObject({ token: z.string().min(20).max(200) });
