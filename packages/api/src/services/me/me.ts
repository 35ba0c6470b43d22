import { effectivePermissions } from "../../rbac/access.js";
import { loadMemberAccess } from "../access/member-access.js";
import type { UserServiceContext } from "../service-context.js";

/** The signed-in user and the organizations they belong to, with their role in each. */
export async function getMe(ctx: UserServiceContext) {
  const { userId } = ctx;
  const user = await ctx.db.prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, name: true, image: true, emailVerifiedAt: true },
  });
  const memberships = await ctx.db.forTenant({ orgId: null, userId }).member.findMany({
    where: { userId, organization: { status: { not: "deleted" } } },
    select: { role: true, organization: { select: { id: true, name: true, slug: true } } },
    orderBy: { organization: { name: "asc" } },
  });
  return { user, organizations: memberships.map((m) => ({ ...m.organization, role: m.role })) };
}

/**
 * What the caller may do in one organization, for the console to hide what they cannot use.
 * Not a member → no role and no permissions (the same answer as for an unknown org).
 */
export async function getMyPermissions(ctx: UserServiceContext, input: { orgId: string }) {
  const access = await loadMemberAccess(ctx, input.orgId, ctx.userId);
  if (!access) return { role: null, permissions: [], ledTeamIds: [] };
  return { role: access.role, permissions: effectivePermissions(access), ledTeamIds: access.ledTeamIds };
}
