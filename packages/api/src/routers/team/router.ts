import { orgProcedure } from "../../procedures.js";
import {
  ZAddTeamMemberInput,
  ZCreateTeamInput,
  ZDeleteTeamInput,
  ZDeleteTeamOutput,
  ZGetTeamOutput,
  ZListTeamsInput,
  ZListTeamsOutput,
  ZMoveTeamInput,
  ZRemoveTeamMemberOutput,
  ZTeamIdInput,
  ZTeamMemberInput,
  ZTeamMembershipOutput,
  ZTeamOutput,
  ZUpdateTeamInput,
  ZUpdateTeamMemberRoleInput,
} from "../../schemas/team.js";
import * as teams from "../../services/teams/teams.js";
import { router } from "../../trpc.js";

export const teamRouter = router({
  // Team leads may create sub-teams of the teams they lead.
  create: orgProcedure
    .meta({ permission: "team:create", teamInput: "parentTeamId" })
    .input(ZCreateTeamInput)
    .output(ZTeamOutput)
    .mutation(({ ctx, input: { orgId: _, ...team } }) => teams.createTeam(ctx.service, team)),
  list: orgProcedure
    .meta({ permission: "team:read" })
    .input(ZListTeamsInput)
    .output(ZListTeamsOutput)
    .query(({ ctx }) => teams.listTeamTree(ctx.service)),
  get: orgProcedure
    .meta({ permission: "team:read" })
    .input(ZTeamIdInput)
    .output(ZGetTeamOutput)
    .query(({ ctx, input }) => teams.getTeam(ctx.service, input)),
  update: orgProcedure
    .meta({ permission: "team:update" })
    .input(ZUpdateTeamInput)
    .output(ZTeamOutput)
    .mutation(({ ctx, input }) => teams.updateTeam(ctx.service, input)),
  move: orgProcedure
    .meta({ permission: "team:update" })
    .input(ZMoveTeamInput)
    .output(ZTeamOutput)
    .mutation(({ ctx, input }) => teams.moveTeam(ctx.service, input)),
  delete: orgProcedure
    .meta({ permission: "team:delete" })
    .input(ZDeleteTeamInput)
    .output(ZDeleteTeamOutput)
    .mutation(({ ctx, input }) => teams.deleteTeam(ctx.service, input)),
  addMember: orgProcedure
    .meta({ permission: "team:manage_members" })
    .input(ZAddTeamMemberInput)
    .output(ZTeamMembershipOutput)
    .mutation(({ ctx, input }) => teams.addTeamMember(ctx.service, input)),
  removeMember: orgProcedure
    .meta({ permission: "team:manage_members" })
    .input(ZTeamMemberInput)
    .output(ZRemoveTeamMemberOutput)
    .mutation(({ ctx, input }) => teams.removeTeamMember(ctx.service, input)),
  updateMemberRole: orgProcedure
    .meta({ permission: "team:manage_members" })
    .input(ZUpdateTeamMemberRoleInput)
    .output(ZTeamMembershipOutput)
    .mutation(({ ctx, input }) => teams.updateTeamMemberRole(ctx.service, input)),
});
