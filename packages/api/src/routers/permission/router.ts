import { notFound } from "../../errors.js";
import { orgProcedure } from "../../procedures.js";
import { type ActorAccess, decide } from "../../rbac/access.js";
import { isPermission } from "../../rbac/permissions.js";
import { ZExplainInput } from "../../schemas/permission.js";
import { loadMemberAccess, loadTeamParents } from "../../services/access/member-access.js";
import { router } from "../../trpc.js";

export const permissionRouter = router({
  /** Why a member or key can or cannot do something: role, team-lead inheritance, grant, deny, scope. */
  explain: orgProcedure
    .meta({ permission: "member:update_permissions" })
    .input(ZExplainInput)
    .query(async ({ ctx, input }) => {
      let access: ActorAccess;
      if ("userId" in input.subject) {
        const member = await loadMemberAccess(ctx, input.orgId, input.subject.userId);
        if (!member) throw notFound("Member");
        access = member;
      } else {
        const key = await ctx.tenant.orgApiKey.findUnique({ where: { id: input.subject.apiKeyId }, select: { id: true, scopes: true } });
        if (!key) throw notFound("API key");
        access = { kind: "api_key", apiKeyId: key.id, scopes: key.scopes.filter(isPermission) };
      }
      const teamParents = input.teamId ? await loadTeamParents(ctx, input.orgId) : undefined;
      if (input.teamId && !teamParents?.has(input.teamId)) throw notFound("Team");
      return { permission: input.permission, ...decide(access, input.permission, { teamId: input.teamId, teamParents }) };
    }),
});
