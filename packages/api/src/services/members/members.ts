import { DomainError, notFound } from "../../errors.js";
import { isPermission } from "../../rbac/permissions.js";
import type { MemberRole } from "../../rbac/roles.js";
import { invalidateMemberAccess } from "../access/member-access.js";
import { audit } from "../audit/audit.js";
import { pageArgs, pageOf } from "../paging.js";
import { type OrgServiceContext, rethrowLastOwner } from "../service-context.js";
import { assertMayActOnMember, lockOwners } from "./member-guards.js";

export interface ListMembersInput {
  search?: string;
  role?: MemberRole;
  /** The last member id of the previous page. */
  cursor?: string | null;
  limit: number;
}

/** A page of members, newest first, with search over name and email and a role filter. */
type MemberPageRow = {
  id: string;
  role: MemberRole;
  joinedAt: Date;
  user: { id: string; email: string; name: string | null; image: string | null };
  teamMemberships: { teamId: string; role: "lead" | "member" }[];
  permissionOverrides: { permission: string; effect: "grant" | "deny"; expiresAt: string | Date | null }[];
};

/**
 * A page without search (the common, hot case): members, their users, team memberships and
 * overrides from one plan-cached function in one round trip, keyset-paged after the cursor row
 * exactly as Prisma's cursor does (newest first, id breaking ties).
 */
async function readMemberPage(ctx: OrgServiceContext, input: ListMembersInput): Promise<MemberPageRow[]> {
  const rows = await ctx.db.tenantRead<{ r: Omit<MemberPageRow, "joinedAt"> & { joinedAt: string } }>(
    { orgId: ctx.orgId },
    "SELECT app_read_member_page($1::uuid, $2::member_role, $3::uuid, $4) AS r",
    [ctx.orgId, input.role ?? null, input.cursor ?? null, input.limit + 1],
  );
  return rows.map(({ r }) => ({ ...r, joinedAt: new Date(r.joinedAt) }));
}

export async function listMembers(ctx: OrgServiceContext, input: ListMembersInput) {
  const search = input.search?.trim();
  if (!search) {
    const rows = await readMemberPage(ctx, input);
    const members = rows.map((row) => ({
      ...row,
      permissionOverrides: row.permissionOverrides.flatMap((o) =>
        isPermission(o.permission)
          ? [{ ...o, permission: o.permission, expiresAt: o.expiresAt === null ? null : new Date(o.expiresAt) }]
          : [],
      ),
    }));
    return pageOf(members, input.limit);
  }
  const rows = await ctx.db.forTenant({ orgId: ctx.orgId }).member.findMany({
    where: {
      organizationId: ctx.orgId,
      role: input.role,
      ...(search
        ? { user: { OR: [{ email: { contains: search, mode: "insensitive" } }, { name: { contains: search, mode: "insensitive" } }] } }
        : {}),
    },
    select: {
      id: true,
      role: true,
      joinedAt: true,
      user: { select: { id: true, email: true, name: true, image: true } },
      teamMemberships: { select: { teamId: true, role: true } },
      permissionOverrides: { select: { permission: true, effect: true, expiresAt: true } },
    },
    orderBy: [{ joinedAt: "desc" }, { id: "desc" }],
    ...pageArgs(input),
  });
  const members = rows.map((row) => ({
    ...row,
    // A permission retired from the catalogue simply stops counting, and stops showing.
    permissionOverrides: row.permissionOverrides.flatMap((o) => (isPermission(o.permission) ? [{ ...o, permission: o.permission }] : [])),
  }));
  return pageOf(members, input.limit);
}

async function deleteMember(ctx: OrgServiceContext, memberId: string, action: "member.removed" | "member.left") {
  try {
    return await ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
      // Lock the owners first, as every role change does, so last-owner checks cannot race.
      const owners = await lockOwners(tx, ctx.orgId);
      const target = await tx.member.findUnique({ where: { id: memberId }, include: { user: { select: { email: true } } } });
      if (!target || target.organizationId !== ctx.orgId) throw notFound("Member");
      // Compared as the database spells the id, whatever spelling the input used.
      if (action === "member.removed" && ctx.access.kind === "member" && ctx.access.memberId === target.id) {
        throw new DomainError("BAD_REQUEST", "To leave the organization, use leave", { reason: "USE_LEAVE" });
      }
      if (action === "member.removed") assertMayActOnMember(ctx, target.role, "remove");
      if (target.role === "owner" && owners.length <= 1) {
        throw new DomainError("PRECONDITION_FAILED", "An organization needs at least one owner. Transfer ownership first.", {
          reason: "LAST_OWNER",
        });
      }
      await tx.member.delete({ where: { id: target.id } });
      await audit(tx, ctx, {
        action,
        targetId: target.id,
        before: { userId: target.userId, email: target.user.email, role: target.role },
      });
      return target.userId;
    });
  } catch (error) {
    rethrowLastOwner(error);
  }
}

export async function removeMember(ctx: OrgServiceContext, input: { memberId: string }) {
  if (ctx.access.kind === "member" && ctx.access.memberId === input.memberId) {
    throw new DomainError("BAD_REQUEST", "To leave the organization, use leave", { reason: "USE_LEAVE" });
  }
  const userId = await deleteMember(ctx, input.memberId, "member.removed");
  await invalidateMemberAccess(ctx.store, ctx.orgId, [userId]);
  return { memberId: input.memberId, removed: true };
}

export async function leaveOrganization(ctx: OrgServiceContext) {
  if (ctx.access.kind !== "member") throw new DomainError("FORBIDDEN", "Only members can leave", { reason: "SELF" });
  const userId = await deleteMember(ctx, ctx.access.memberId, "member.left");
  await invalidateMemberAccess(ctx.store, ctx.orgId, [userId]);
  return { left: true };
}
