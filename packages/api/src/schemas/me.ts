import { z } from "zod";
import { ZId, ZInstant, ZMemberRole, ZOutId, ZPermission } from "./common.js";

export const ZMyPermissionsInput = z.strictObject({ orgId: ZId });

export const ZMeOutput = z.object({
  user: z.object({
    id: ZOutId,
    email: z.string(),
    name: z.string().nullable(),
    image: z.string().nullable(),
    emailVerifiedAt: ZInstant.nullable(),
  }),
  organizations: z.array(z.object({ id: ZOutId, name: z.string(), slug: z.string(), role: ZMemberRole })),
});
export const ZMyPermissionsOutput = z.object({
  role: ZMemberRole.nullable(),
  permissions: z.array(ZPermission),
  ledTeamIds: z.array(ZOutId),
});
