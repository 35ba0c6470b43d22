import { notFound } from "../../errors.js";
import { type ActorAccess, decide } from "../../rbac/access.js";
import { isPermission, type Permission } from "../../rbac/permissions.js";
import type { OrgServiceContext } from "../service-context.js";
import { loadMemberAccess, loadTeamParents } from "./member-access.js";

export interface ExplainPermissionInput {
  subject: { userId: string } | { apiKeyId: string };
  permission: Permission;
  teamId?: string;
}

/** Why a member or key can or cannot do something: role, team-lead inheritance, grant, deny, scope. */
export async function explainPermission(ctx: OrgServiceContext, input: ExplainPermissionInput) {
  let access: ActorAccess;
  if ("userId" in input.subject) {
    const member = await loadMemberAccess(ctx, ctx.orgId, input.subject.userId);
    if (!member) throw notFound("Member");
    access = member;
  } else {
    const key = await ctx.db
      .forTenant({ orgId: ctx.orgId })
      .orgApiKey.findUnique({ where: { id: input.subject.apiKeyId }, select: { id: true, scopes: true, teamId: true } });
    if (!key) throw notFound("API key");
    access = { kind: "api_key", apiKeyId: key.id, scopes: key.scopes.filter(isPermission), teamId: key.teamId };
  }
  const teamParents = input.teamId ? await loadTeamParents(ctx, ctx.orgId) : undefined;
  if (input.teamId && !teamParents?.has(input.teamId)) throw notFound("Team");
  return { permission: input.permission, ...decide(access, input.permission, { teamId: input.teamId, teamParents }) };
}
