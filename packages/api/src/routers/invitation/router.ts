import { z } from "zod";
import { authedProcedure, orgProcedure } from "../../procedures.js";
import { orgInput, ZEmail, ZMemberRole } from "../../schemas.js";
import * as invitations from "../../services/invitations/invitations.js";
import { orgServiceContext, requestMeta } from "../../services/service-context.js";
import { router } from "../../trpc.js";

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

export const invitationRouter = router({
  create: orgProcedure
    .meta({ permission: "member:invite" })
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
    .meta({ permission: "member:invite" })
    .input(ZInvitationIdInput)
    .mutation(({ ctx, input }) => invitations.resendInvitation(orgServiceContext(ctx), input)),
  accept: authedProcedure
    .input(ZAcceptInvitationInput)
    .mutation(({ ctx, input }) => invitations.acceptInvitation(ctx, ctx.user.userId, input, requestMeta(ctx))),
});
