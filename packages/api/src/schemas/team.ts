import { z } from "zod";
import { orgInput, ZId, ZName } from "./common.js";

const ZDescription = z.string().trim().max(500).nullable().optional();
const ZTeamRole = z.enum(["lead", "member"]);

export const ZCreateTeamInput = orgInput({ name: ZName, description: ZDescription, parentTeamId: ZId.nullable().optional() });
export const ZListTeamsInput = orgInput({});
export const ZTeamIdInput = orgInput({ teamId: ZId });
export const ZUpdateTeamInput = orgInput({ teamId: ZId, name: ZName.optional(), description: ZDescription });
export const ZMoveTeamInput = orgInput({ teamId: ZId, newParentTeamId: ZId.nullable() });
export const ZDeleteTeamInput = orgInput({ teamId: ZId, cascade: z.boolean().default(false) });
export const ZTeamMemberInput = orgInput({ teamId: ZId, memberId: ZId });
export const ZAddTeamMemberInput = orgInput({ teamId: ZId, memberId: ZId, role: ZTeamRole.default("member") });
export const ZUpdateTeamMemberRoleInput = orgInput({ teamId: ZId, memberId: ZId, role: ZTeamRole });
