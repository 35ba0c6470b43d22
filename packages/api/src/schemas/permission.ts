import { z } from "zod";
import { orgInput, ZId, ZInstant, ZMemberRole, ZOutId, ZPermission } from "./common.js";

export const ZExplainInput = orgInput({
  subject: z.union([z.strictObject({ userId: ZId }), z.strictObject({ apiKeyId: ZId })]),
  permission: ZPermission,
  teamId: ZId.optional(),
});

/** Why a decision came out as it did, in the order the reasons were weighed. */
export const ZDecisionReasonOutput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("role"), role: ZMemberRole, grants: z.boolean() }),
  z.object({ kind: z.literal("team_lead"), teamId: ZOutId, viaTeamId: ZOutId }),
  z.object({ kind: z.literal("grant"), expiresAt: ZInstant.nullable() }),
  z.object({ kind: z.literal("expired_grant"), expiredAt: ZInstant }),
  z.object({ kind: z.literal("deny") }),
  z.object({ kind: z.literal("scope"), grants: z.boolean() }),
  z.object({ kind: z.literal("team_required") }),
  z.object({ kind: z.literal("key_team"), teamId: ZOutId, grants: z.boolean() }),
]);
export const ZExplainOutput = z.object({ permission: ZPermission, allowed: z.boolean(), reasons: z.array(ZDecisionReasonOutput) });

/** Every permission for one member; `userId` defaults to the caller. */
export const ZExplainAllInput = orgInput({ userId: ZId.optional(), teamId: ZId.optional() });
export const ZExplainAllOutput = z.object({
  userId: ZOutId,
  memberId: ZOutId,
  role: ZMemberRole,
  teamId: ZOutId.nullable(),
  permissions: z.array(
    z.object({
      permission: ZPermission,
      description: z.string(),
      teamScoped: z.boolean(),
      allowed: z.boolean(),
      reasons: z.array(ZDecisionReasonOutput),
    }),
  ),
});
