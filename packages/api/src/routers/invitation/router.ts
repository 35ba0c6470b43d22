import { authedProcedure, orgProcedure } from "../../procedures.js";
import { ZAcceptInvitationInput, ZCreateInvitationInput, ZInvitationIdInput, ZListInvitationsInput } from "../../schemas/invitation.js";
import * as invitations from "../../services/invitations/invitations.js";
import { orgServiceContext, requestMeta } from "../../services/service-context.js";
import { router } from "../../trpc.js";

export const invitationRouter = router({
  create: orgProcedure
    .meta({ permission: "member:invite", apiKeys: false })
    .input(ZCreateInvitationInput)
    .mutation(({ ctx, input }) => invitations.createInvitation(orgServiceContext(ctx), input)),
  list: orgProcedure
    .meta({ permission: "member:invite" })
    .input(ZListInvitationsInput)
    .query(({ ctx, input }) => invitations.listInvitations(orgServiceContext(ctx), input)),
  revoke: orgProcedure
    .meta({ permission: "member:invite" })
    .input(ZInvitationIdInput)
    .mutation(({ ctx, input }) => invitations.revokeInvitation(orgServiceContext(ctx), input)),
  resend: orgProcedure
    .meta({ permission: "member:invite", apiKeys: false })
    .input(ZInvitationIdInput)
    .mutation(({ ctx, input }) => invitations.resendInvitation(orgServiceContext(ctx), input)),
  accept: authedProcedure
    .input(ZAcceptInvitationInput)
    .mutation(({ ctx, input }) => invitations.acceptInvitation(ctx, ctx.user.userId, input, requestMeta(ctx))),
});
