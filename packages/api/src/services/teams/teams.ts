import type { TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import { decide } from "../../rbac/access.js";
import { invalidateMemberAccess, invalidateTeamTree, loadTeamParents } from "../access/member-access.js";
import { revokeKeysOfTeams } from "../api-keys/api-keys.js";
import { invalidateApiKeyCache } from "../api-keys/verify-api-key.js";
import { audit } from "../audit/audit.js";
import { constraintName, type OrgServiceContext } from "../service-context.js";

export const MAX_TEAM_DEPTH = 5;

/** Our tree triggers and unique keys, as the caller should read them. */
function translateTreeError(error: unknown): never {
  const name = constraintName(error);
  if (name === "teams_max_depth")
    throw new DomainError("PRECONDITION_FAILED", `Teams can be nested at most ${MAX_TEAM_DEPTH} levels deep`, { reason: "MAX_DEPTH" });
  if (name === "teams_no_cycle")
    throw new DomainError("PRECONDITION_FAILED", "A team cannot be moved under itself or its own sub-team", { reason: "CYCLE" });
  if ((error as { code?: string })?.code === "P2002")
    throw new DomainError("CONFLICT", "A sibling team already has this name", { field: "name", reason: "TEAM_NAME_TAKEN" });
  throw error;
}

async function inTree<T>(ctx: OrgServiceContext, work: (tx: TenantTransaction) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.withTenant({ orgId: ctx.orgId }, work);
  } catch (error) {
    translateTreeError(error);
  }
}

async function findTeam(tx: TenantTransaction, teamId: string) {
  const team = await tx.team.findUnique({ where: { id: teamId } });
  if (!team) throw notFound("Team");
  return team;
}

export async function createTeam(
  ctx: OrgServiceContext,
  input: { name: string; description?: string | null; parentTeamId?: string | null },
) {
  const team = await inTree(ctx, async (tx) => {
    if (input.parentTeamId) await findTeam(tx, input.parentTeamId);
    const created = await tx.team.create({
      data: {
        organizationId: ctx.orgId,
        name: input.name,
        description: input.description ?? null,
        parentTeamId: input.parentTeamId ?? null,
      },
    });
    await audit(tx, ctx, {
      action: "team.created",
      targetId: created.id,
      after: created,
    });
    return created;
  });
  await invalidateTeamTree(ctx.store, ctx.orgId);
  return team;
}

export interface TeamNode {
  id: string;
  name: string;
  description: string | null;
  parentTeamId: string | null;
  memberCount: number;
  children: TeamNode[];
}

/** The organization's teams as a tree, siblings by name. */
export async function listTeamTree(ctx: OrgServiceContext): Promise<TeamNode[]> {
  // One round trip (tenant settings and the read together) to a plan-cached function that counts
  // members in the same statement: no N+1.
  const rows = await ctx.db.tenantRead<{ r: Omit<TeamNode, "children"> }>({ orgId: ctx.orgId }, "SELECT app_read_team_nodes() AS r");
  const teams = rows.map((row) => row.r);
  const nodes = new Map<string, TeamNode>(teams.map((t) => [t.id, { ...t, children: [] }]));
  const roots: TeamNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentTeamId ? nodes.get(node.parentTeamId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export async function getTeam(ctx: OrgServiceContext, input: { teamId: string }) {
  const team = await ctx.db.forTenant({ orgId: ctx.orgId }).team.findUnique({
    where: { id: input.teamId },
    include: {
      parent: { select: { id: true, name: true } },
      children: { select: { id: true, name: true, description: true }, orderBy: { name: "asc" } },
      memberships: {
        select: {
          id: true,
          role: true,
          createdAt: true,
          member: { select: { id: true, role: true, user: { select: { id: true, email: true, name: true } } } },
        },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  if (!team) throw notFound("Team");
  return team;
}

export async function updateTeam(ctx: OrgServiceContext, input: { teamId: string; name?: string; description?: string | null }) {
  return inTree(ctx, async (tx) => {
    const before = await findTeam(tx, input.teamId);
    const after = await tx.team.update({ where: { id: before.id }, data: { name: input.name, description: input.description } });
    await audit(tx, ctx, {
      action: "team.updated",
      targetId: before.id,
      before,
      after,
    });
    return after;
  });
}

/**
 * Moves a team under another (or to the top). A team lead must lead the destination too.
 */
export async function moveTeam(ctx: OrgServiceContext, input: { teamId: string; newParentTeamId: string | null }) {
  // Whoever updates teams org-wide moves them anywhere; a lead only within what they lead.
  if (!decide(ctx.access, "team:update").allowed) {
    const parents = await loadTeamParents(ctx, ctx.orgId);
    if (!decide(ctx.access, "team:update", { teamId: input.newParentTeamId, teamParents: parents }).allowed) {
      throw new DomainError("FORBIDDEN", "You can move a team only to under a team you lead", { reason: "MOVE_OUTSIDE_LED_TEAMS" });
    }
  }
  const moved = await inTree(ctx, async (tx) => {
    const before = await findTeam(tx, input.teamId);
    if (input.newParentTeamId) await findTeam(tx, input.newParentTeamId);
    const after = await tx.team.update({ where: { id: before.id }, data: { parentTeamId: input.newParentTeamId } });
    await audit(tx, ctx, {
      action: "team.moved",
      targetId: before.id,
      before: { parentTeamId: before.parentTeamId },
      after: { parentTeamId: after.parentTeamId },
    });
    return after;
  });
  await invalidateTeamTree(ctx.store, ctx.orgId);
  return moved;
}

/** Deletes a team; with sub-teams only when `cascade` (then the whole subtree, deepest first). */
export async function deleteTeam(ctx: OrgServiceContext, input: { teamId: string; cascade: boolean }) {
  let revokedKeyHashes: string[] = [];
  const affectedUsers = await inTree(ctx, async (tx) => {
    // The tree trigger's lock: no team joins this subtree while it is being deleted.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`teams_tree:${ctx.orgId.toLowerCase()}`}, 0))`;
    const team = await findTeam(tx, input.teamId);
    const subtree = await tx.$queryRaw<{ id: string; depth: number }[]>`
      WITH RECURSIVE down(id, depth) AS (
        SELECT ${team.id}::uuid, 0
        UNION ALL
        SELECT t.id, down.depth + 1 FROM teams t JOIN down ON t.parent_team_id = down.id WHERE down.depth < 10
      ) SELECT id, depth FROM down ORDER BY depth DESC`;
    if (subtree.length > 1 && !input.cascade) {
      throw new DomainError("PRECONDITION_FAILED", "This team has sub-teams. Delete them too (cascade) or move them first.", {
        reason: "HAS_SUB_TEAMS",
        subTeams: subtree.length - 1,
      });
    }
    const ids = subtree.map((t) => t.id);
    const members = await tx.teamMembership.findMany({ where: { teamId: { in: ids } }, select: { member: { select: { userId: true } } } });
    // Keys bound to these teams die with them (never become organization-wide).
    revokedKeyHashes = await revokeKeysOfTeams(tx, ctx, ids);
    for (const { id } of subtree) await tx.team.delete({ where: { id } });
    await audit(tx, ctx, {
      action: "team.deleted",
      targetId: team.id,
      before: { ...team, deletedSubTeamIds: ids.filter((id) => id !== team.id) },
    });
    return [...new Set(members.map((m) => m.member.userId))];
  });
  await invalidateTeamTree(ctx.store, ctx.orgId);
  await invalidateMemberAccess(ctx.store, ctx.orgId, affectedUsers);
  await invalidateApiKeyCache(ctx.store, revokedKeyHashes);
  return { teamId: input.teamId, deleted: true };
}

async function memberOfOrg(tx: TenantTransaction, memberId: string) {
  const member = await tx.member.findUnique({ where: { id: memberId }, select: { id: true, userId: true } });
  if (!member) throw notFound("Member");
  return member;
}

export async function addTeamMember(ctx: OrgServiceContext, input: { teamId: string; memberId: string; role: "lead" | "member" }) {
  const result = await inTree(ctx, async (tx) => {
    await findTeam(tx, input.teamId);
    const member = await memberOfOrg(tx, input.memberId);
    const existing = await tx.teamMembership.findFirst({ where: { teamId: input.teamId, memberId: member.id } });
    if (existing) throw new DomainError("CONFLICT", "Already a member of this team", { reason: "ALREADY_IN_TEAM" });
    const membership = await tx.teamMembership.create({
      data: { organizationId: ctx.orgId, teamId: input.teamId, memberId: member.id, role: input.role },
    });
    await audit(tx, ctx, {
      action: "team.member_added",
      targetId: input.teamId,
      after: membership,
    });
    return { membership, userId: member.userId };
  });
  await invalidateMemberAccess(ctx.store, ctx.orgId, [result.userId]);
  return result.membership;
}

export async function removeTeamMember(ctx: OrgServiceContext, input: { teamId: string; memberId: string }) {
  const userId = await inTree(ctx, async (tx) => {
    const membership = await tx.teamMembership.findFirst({
      where: { teamId: input.teamId, memberId: input.memberId },
      include: { member: { select: { userId: true } } },
    });
    if (!membership) throw notFound("Team member");
    await tx.teamMembership.delete({ where: { id: membership.id } });
    await audit(tx, ctx, {
      action: "team.member_removed",
      targetId: input.teamId,
      before: { memberId: input.memberId, role: membership.role },
    });
    return membership.member.userId;
  });
  await invalidateMemberAccess(ctx.store, ctx.orgId, [userId]);
  return { teamId: input.teamId, memberId: input.memberId, removed: true };
}

export async function updateTeamMemberRole(ctx: OrgServiceContext, input: { teamId: string; memberId: string; role: "lead" | "member" }) {
  const result = await inTree(ctx, async (tx) => {
    const before = await tx.teamMembership.findFirst({
      where: { teamId: input.teamId, memberId: input.memberId },
      include: { member: { select: { userId: true } } },
    });
    if (!before) throw notFound("Team member");
    const after = await tx.teamMembership.update({ where: { id: before.id }, data: { role: input.role } });
    await audit(tx, ctx, {
      action: "team.member_role_updated",
      targetId: input.teamId,
      before: { memberId: input.memberId, role: before.role },
      after: { memberId: input.memberId, role: after.role },
    });
    return { membership: after, userId: before.member.userId };
  });
  await invalidateMemberAccess(ctx.store, ctx.orgId, [result.userId]);
  return result.membership;
}
