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
    .meta({
      permission: "team:create",
      teamInput: "parentTeamId",
      openapi: { method: "POST", path: "/organizations/{orgId}/teams", tags: ["Teams"], summary: "Create a team or sub-team" },
    })
    .input(ZCreateTeamInput)
    .output(ZTeamOutput)
    .mutation(({ ctx, input: { orgId: _, ...team } }) => teams.createTeam(ctx.service, team)),
  list: orgProcedure
    .meta({
      permission: "team:read",
      openapi: { method: "GET", path: "/organizations/{orgId}/teams", tags: ["Teams"], summary: "The team tree" },
    })
    .input(ZListTeamsInput)
    .output(ZListTeamsOutput)
    .query(({ ctx }) => teams.listTeamTree(ctx.service)),
  get: orgProcedure
    .meta({
      permission: "team:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/teams/{teamId}",
        tags: ["Teams"],
        summary: "A team with its parent, sub-teams and members",
      },
    })
    .input(ZTeamIdInput)
    .output(ZGetTeamOutput)
    .query(({ ctx, input }) => teams.getTeam(ctx.service, input)),
  update: orgProcedure
    .meta({
      permission: "team:update",
      openapi: { method: "PATCH", path: "/organizations/{orgId}/teams/{teamId}", tags: ["Teams"], summary: "Rename or describe a team" },
    })
    .input(ZUpdateTeamInput)
    .output(ZTeamOutput)
    .mutation(({ ctx, input }) => teams.updateTeam(ctx.service, input)),
  move: orgProcedure
    .meta({
      permission: "team:update",
      openapi: {
        method: "POST",
        path: "/organizations/{orgId}/teams/{teamId}/move",
        tags: ["Teams"],
        summary: "Move a team under another parent (or to the top)",
      },
    })
    .input(ZMoveTeamInput)
    .output(ZTeamOutput)
    .mutation(({ ctx, input }) => teams.moveTeam(ctx.service, input)),
  delete: orgProcedure
    .meta({
      permission: "team:delete",
      openapi: {
        method: "DELETE",
        path: "/organizations/{orgId}/teams/{teamId}",
        tags: ["Teams"],
        summary: "Delete a team (`cascade=true` deletes its sub-teams too)",
      },
    })
    .input(ZDeleteTeamInput)
    .output(ZDeleteTeamOutput)
    .mutation(({ ctx, input }) => teams.deleteTeam(ctx.service, input)),
  addMember: orgProcedure
    .meta({
      permission: "team:manage_members",
      openapi: {
        method: "POST",
        path: "/organizations/{orgId}/teams/{teamId}/members",
        tags: ["Teams"],
        summary: "Add a member to a team",
      },
    })
    .input(ZAddTeamMemberInput)
    .output(ZTeamMembershipOutput)
    .mutation(({ ctx, input }) => teams.addTeamMember(ctx.service, input)),
  removeMember: orgProcedure
    .meta({
      permission: "team:manage_members",
      openapi: {
        method: "DELETE",
        path: "/organizations/{orgId}/teams/{teamId}/members/{memberId}",
        tags: ["Teams"],
        summary: "Remove a member from a team",
      },
    })
    .input(ZTeamMemberInput)
    .output(ZRemoveTeamMemberOutput)
    .mutation(({ ctx, input }) => teams.removeTeamMember(ctx.service, input)),
  updateMemberRole: orgProcedure
    .meta({
      permission: "team:manage_members",
      openapi: {
        method: "PATCH",
        path: "/organizations/{orgId}/teams/{teamId}/members/{memberId}",
        tags: ["Teams"],
        summary: "Change a member's role in a team (lead or member)",
      },
    })
    .input(ZUpdateTeamMemberRoleInput)
    .output(ZTeamMembershipOutput)
    .mutation(({ ctx, input }) => teams.updateTeamMemberRole(ctx.service, input)),
});
