import { z } from "zod";
import { orgInput, ZName } from "./common.js";

const ZDescription = z.string().trim().max(500).nullable().optional();
const ZTeamRole = z.enum(["lead", "member"]);

export const ZCreateTeamInput = orgInput({ name: ZName, description: ZDescription, parentTeamId: z.uuid().nullable().optional() });
export const ZListTeamsInput = orgInput({});
export const ZTeamIdInput = orgInput({ teamId: z.uuid() });
export const ZUpdateTeamInput = orgInput({ teamId: z.uuid(), name: ZName.optional(), description: ZDescription });
export const ZMoveTeamInput = orgInput({ teamId: z.uuid(), newParentTeamId: z.uuid().nullable() });
export const ZDeleteTeamInput = orgInput({ teamId: z.uuid(), cascade: z.boolean().default(false) });
export const ZTeamMemberInput = orgInput({ teamId: z.uuid(), memberId: z.uuid() });
export const ZAddTeamMemberInput = orgInput({ teamId: z.uuid(), memberId: z.uuid(), role: ZTeamRole.default("member") });
export const ZUpdateTeamMemberRoleInput = orgInput({ teamId: z.uuid(), memberId: z.uuid(), role: ZTeamRole });
