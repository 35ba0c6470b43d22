import { z } from "zod";
import { orgProcedure } from "../../procedures.js";
import { orgInput, ZName } from "../../schemas.js";
import { orgServiceContext } from "../../services/service-context.js";
import * as teams from "../../services/teams/teams.js";
import { router } from "../../trpc.js";

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

export const teamRouter = router({
  // Team leads may create sub-teams of the teams they lead.
  create: orgProcedure
    .meta({ permission: "team:create", teamInput: "parentTeamId" })
    .input(ZCreateTeamInput)
    .mutation(({ ctx, input: { orgId: _, ...team } }) => teams.createTeam(orgServiceContext(ctx), team)),
  list: orgProcedure
    .meta({ permission: "team:read" })
    .input(ZListTeamsInput)
    .query(({ ctx }) => teams.listTeamTree(orgServiceContext(ctx))),
  get: orgProcedure
    .meta({ permission: "team:read" })
    .input(ZTeamIdInput)
    .query(({ ctx, input }) => teams.getTeam(orgServiceContext(ctx), input)),
  update: orgProcedure
    .meta({ permission: "team:update" })
    .input(ZUpdateTeamInput)
    .mutation(({ ctx, input }) => teams.updateTeam(orgServiceContext(ctx), input)),
  move: orgProcedure
    .meta({ permission: "team:update" })
    .input(ZMoveTeamInput)
    .mutation(({ ctx, input }) => teams.moveTeam(orgServiceContext(ctx), input)),
  delete: orgProcedure
    .meta({ permission: "team:delete" })
    .input(ZDeleteTeamInput)
    .mutation(({ ctx, input }) => teams.deleteTeam(orgServiceContext(ctx), input)),
  addMember: orgProcedure
    .meta({ permission: "team:manage_members" })
    .input(ZAddTeamMemberInput)
    .mutation(({ ctx, input }) => teams.addTeamMember(orgServiceContext(ctx), input)),
  removeMember: orgProcedure
    .meta({ permission: "team:manage_members" })
    .input(ZTeamMemberInput)
    .mutation(({ ctx, input }) => teams.removeTeamMember(orgServiceContext(ctx), input)),
  updateMemberRole: orgProcedure
    .meta({ permission: "team:manage_members" })
    .input(ZUpdateTeamMemberRoleInput)
    .mutation(({ ctx, input }) => teams.updateTeamMemberRole(orgServiceContext(ctx), input)),
});
