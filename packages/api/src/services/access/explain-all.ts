import { DomainError, notFound } from "../../errors.js";
import { decide } from "../../rbac/access.js";
import { PERMISSION_CATALOGUE, PERMISSIONS } from "../../rbac/permissions.js";
import type { OrgServiceContext } from "../service-context.js";
import { loadMemberAccess, loadTeamParents } from "./member-access.js";

/**
 * A member's effective permissions: every permission of the catalogue, allowed or not, with the
 * reasons weighed — "why can X do Y" in one call. Every member may ask about themselves;
 * asking about someone else needs member:update_permissions (the same as `permission.explain`).
 * With `teamId`, team-scoped permissions also count leading that team or one of its ancestors.
 */
export async function explainAllPermissions(ctx: OrgServiceContext, input: { userId?: string; teamId?: string }) {
  const userId = input.userId ?? ctx.userId;
  if (userId === null) throw new DomainError("FORBIDDEN", "Only members have effective permissions");
  if (userId !== ctx.userId && !decide(ctx.access, "member:update_permissions").allowed) {
    throw new DomainError("FORBIDDEN", "Missing permission member:update_permissions (needed to see another member's permissions)");
  }
  const member = await loadMemberAccess(ctx, ctx.orgId, userId);
  if (member?.kind !== "member") throw notFound("Member");
  const teamParents = input.teamId ? await loadTeamParents(ctx, ctx.orgId) : undefined;
  if (input.teamId && !teamParents?.has(input.teamId)) throw notFound("Team");
  return {
    userId,
    memberId: member.memberId,
    role: member.role,
    teamId: input.teamId ?? null,
    permissions: PERMISSIONS.map((permission) => ({
      permission,
      description: PERMISSION_CATALOGUE[permission].description,
      teamScoped: PERMISSION_CATALOGUE[permission].teamScoped,
      ...decide(member, permission, { teamId: input.teamId, teamParents }),
    })),
  };
}
