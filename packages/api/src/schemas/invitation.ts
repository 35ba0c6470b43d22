import { z } from "zod";
import { orgInput, page, paging, ZEmail, ZId, ZInstant, ZMemberRole, ZOutId } from "./common.js";

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

/** An invitation as callers see it: never its token or token hash. */
export const ZInvitationOutput = z.object({
  id: ZOutId,
  email: z.string(),
  role: ZMemberRole,
  teamIds: z.array(ZOutId),
  invitedById: ZOutId.nullable(),
  expiresAt: ZInstant,
  acceptedAt: ZInstant.nullable(),
  revokedAt: ZInstant.nullable(),
  createdAt: ZInstant,
});
/** The link is returned to the inviter once, to pass on by hand if mail is slow. */
export const ZSentInvitationOutput = z.object({ invitation: ZInvitationOutput, inviteUrl: z.string() });
export const ZListInvitationsOutput = page(ZInvitationOutput);
export const ZAcceptInvitationOutput = z.object({
  organization: z.object({ id: ZOutId, name: z.string(), slug: z.string() }),
  memberId: ZOutId,
  role: ZMemberRole,
});

/** An invitation as its link shows it before sign-in (`invitation.preview`). */
export const ZPreviewInvitationInput = ZAcceptInvitationInput;
export const ZPreviewInvitationOutput = z.object({
  organization: z.object({ name: z.string(), slug: z.string() }),
  role: ZMemberRole,
  email: z.string(),
  invitedBy: z.object({ name: z.string().nullable() }).nullable(),
  expiresAt: ZInstant,
  status: z.enum(["pending", "accepted", "revoked", "expired"]),
});
