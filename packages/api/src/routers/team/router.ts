import { orgProcedure } from "../../procedures.js";
import {
  ZAddTeamMemberInput,
  ZCreateTeamInput,
  ZDeleteTeamInput,
  ZListTeamsInput,
  ZMoveTeamInput,
  ZTeamIdInput,
  ZTeamMemberInput,
  ZUpdateTeamInput,
  ZUpdateTeamMemberRoleInput,
} from "../../schemas/team.js";
import { orgServiceContext } from "../../services/service-context.js";
import * as teams from "../../services/teams/teams.js";
import { router } from "../../trpc.js";

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
