import { authedProcedure, orgProcedure, publicProcedure } from "../../procedures.js";
import {
  ZAcceptInvitationInput,
  ZAcceptInvitationOutput,
  ZCreateInvitationInput,
  ZInvitationIdInput,
  ZInvitationOutput,
  ZListInvitationsInput,
  ZListInvitationsOutput,
  ZPreviewInvitationInput,
  ZPreviewInvitationOutput,
  ZSentInvitationOutput,
} from "../../schemas/invitation.js";
import * as invitations from "../../services/invitations/invitations.js";
import { router } from "../../trpc.js";

export const invitationRouter = router({
  create: orgProcedure
    .meta({
      permission: "member:invite",
      apiKeys: false,
      openapi: { method: "POST", path: "/organizations/{orgId}/invitations", tags: ["Invitations"], summary: "Invite someone by email" },
    })
    .input(ZCreateInvitationInput)
    .output(ZSentInvitationOutput)
    .mutation(({ ctx, input }) => invitations.createInvitation(ctx.service, input)),
  list: orgProcedure
    .meta({
      permission: "member:invite",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/invitations",
        tags: ["Invitations"],
        summary: "Pending (or all) invitations",
      },
    })
    .input(ZListInvitationsInput)
    .output(ZListInvitationsOutput)
    .query(({ ctx, input }) => invitations.listInvitations(ctx.service, input)),
  revoke: orgProcedure
    .meta({
      permission: "member:invite",
      openapi: {
        method: "POST",
        path: "/organizations/{orgId}/invitations/{invitationId}/revoke",
        tags: ["Invitations"],
        summary: "Revoke a pending invitation",
      },
    })
    .input(ZInvitationIdInput)
    .output(ZInvitationOutput)
    .mutation(({ ctx, input }) => invitations.revokeInvitation(ctx.service, input)),
  resend: orgProcedure
    .meta({
      permission: "member:invite",
      apiKeys: false,
      openapi: {
        method: "POST",
        path: "/organizations/{orgId}/invitations/{invitationId}/resend",
        tags: ["Invitations"],
        summary: "Send a pending invitation again (a new link)",
      },
    })
    .input(ZInvitationIdInput)
    .output(ZSentInvitationOutput)
    .mutation(({ ctx, input }) => invitations.resendInvitation(ctx.service, input)),
  /** What the link leads to, for the accept page before sign-in: anyone holding the token. */
  preview: publicProcedure
    .input(ZPreviewInvitationInput)
    .output(ZPreviewInvitationOutput)
    .query(({ ctx, input }) => invitations.previewInvitation(ctx, input)),
  accept: authedProcedure
    .input(ZAcceptInvitationInput)
    .output(ZAcceptInvitationOutput)
    .mutation(({ ctx, input }) => invitations.acceptInvitation(ctx.service, input)),
});
