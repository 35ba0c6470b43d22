import { z } from "zod";
import { orgInput, ZEmail, ZMemberRole } from "./common.js";

export const ZCreateInvitationInput = orgInput({
  email: ZEmail,
  role: ZMemberRole.default("member"),
  teamIds: z.array(z.uuid()).max(50).default([]),
});
export const ZListInvitationsInput = orgInput({
  status: z.enum(["pending", "all"]).default("pending"),
  cursor: z.uuid().optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export const ZInvitationIdInput = orgInput({ invitationId: z.uuid() });
export const ZAcceptInvitationInput = z.strictObject({ token: z.string().min(20).max(200) });
