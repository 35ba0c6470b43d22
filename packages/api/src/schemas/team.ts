import { z } from "zod";
import { TEAM_ROLES } from "../rbac/roles.js";
import { orgInput, ZId, ZInstant, ZMemberRole, ZName, ZOutId } from "./common.js";

const ZDescription = z.string().trim().max(500).nullable().optional();
const ZTeamRole = z.enum(TEAM_ROLES);

export const ZCreateTeamInput = orgInput({ name: ZName, description: ZDescription, parentTeamId: ZId.nullable().optional() });
export const ZListTeamsInput = orgInput({});
export const ZTeamIdInput = orgInput({ teamId: ZId });
export const ZUpdateTeamInput = orgInput({ teamId: ZId, name: ZName.optional(), description: ZDescription });
export const ZMoveTeamInput = orgInput({ teamId: ZId, newParentTeamId: ZId.nullable() });
export const ZDeleteTeamInput = orgInput({ teamId: ZId, cascade: z.boolean().default(false) });
export const ZTeamMemberInput = orgInput({ teamId: ZId, memberId: ZId });
export const ZAddTeamMemberInput = orgInput({ teamId: ZId, memberId: ZId, role: ZTeamRole.default("member") });
export const ZUpdateTeamMemberRoleInput = orgInput({ teamId: ZId, memberId: ZId, role: ZTeamRole });

export const ZTeamOutput = z.object({
  id: ZOutId,
  parentTeamId: ZOutId.nullable(),
  name: z.string(),
  description: z.string().nullable(),
  createdAt: ZInstant,
  updatedAt: ZInstant,
});
export interface TTeamNodeOutput {
  id: string;
  name: string;
  description: string | null;
  parentTeamId: string | null;
  memberCount: number;
  children: TTeamNodeOutput[];
}
export const ZTeamNodeOutput: z.ZodType<TTeamNodeOutput> = z
  .object({
    id: ZOutId,
    name: z.string(),
    description: z.string().nullable(),
    parentTeamId: ZOutId.nullable(),
    memberCount: z.number().int(),
    get children() {
      return z.array(ZTeamNodeOutput);
    },
  })
  .meta({ id: "TeamNode" });
export const ZListTeamsOutput = z.array(ZTeamNodeOutput);
export const ZTeamMembershipOutput = z.object({ id: ZOutId, teamId: ZOutId, memberId: ZOutId, role: ZTeamRole, createdAt: ZInstant });
export const ZGetTeamOutput = ZTeamOutput.extend({
  parent: z.object({ id: ZOutId, name: z.string() }).nullable(),
  children: z.array(z.object({ id: ZOutId, name: z.string(), description: z.string().nullable() })),
  memberships: z.array(
    z.object({
      id: ZOutId,
      role: ZTeamRole,
      createdAt: ZInstant,
      member: z.object({
        id: ZOutId,
        role: ZMemberRole,
        user: z.object({ id: ZOutId, email: z.string(), name: z.string().nullable() }),
      }),
    }),
  ),
});
export const ZDeleteTeamOutput = z.object({ teamId: ZOutId, deleted: z.boolean() });
export const ZRemoveTeamMemberOutput = z.object({ teamId: ZOutId, memberId: ZOutId, removed: z.boolean() });
