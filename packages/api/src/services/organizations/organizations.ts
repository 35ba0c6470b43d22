import { randomBytes, randomUUID } from "node:crypto";
import type { Organization } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import { invalidateMemberAccess } from "../access/member-access.js";
import { invalidateOrgApiKeys } from "../api-keys/api-keys.js";
import { audit } from "../audit/audit.js";
import { zoneChange } from "../budgets/period.js";
import { lockOwners } from "../members/member-guards.js";
import type { OrgServiceContext, UserServiceContext } from "../service-context.js";

export const RESTORE_WINDOW_DAYS = 30;

/** "Acme Robotics, Inc." → "acme-robotics-inc": url-safe, 3–48 characters. */
export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return base.length >= 3 ? base : `org-${base || randomBytes(3).toString("hex")}`.slice(0, 40);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "P2002";
}

export interface CreateOrganizationInput {
  name: string;
  slug?: string;
  description?: string | null;
  timezone?: string;
  currency?: string;
}

/**
 * Creates an organization with the caller as its owner. Without a slug one is made from the
 * name; when it is taken a short random suffix is added (the app role cannot see other orgs,
 * so the unique index decides). A slug the caller chose that is taken is a CONFLICT.
 */
export async function createOrganization(ctx: UserServiceContext, input: CreateOrganizationInput) {
  const { userId, request } = ctx;
  const base = input.slug ?? slugify(input.name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base.slice(0, 41)}-${randomBytes(3).toString("hex")}`;
    const orgId = randomUUID();
    try {
      return await ctx.db.withTenant({ orgId, userId }, async (tx) => {
        const org = await tx.organization.create({
          data: {
            id: orgId,
            name: input.name,
            slug,
            description: input.description ?? null,
            timezone: input.timezone,
            currency: input.currency,
          },
        });
        const owner = await tx.member.create({ data: { organizationId: orgId, userId, role: "owner" } });
        await audit(
          tx,
          { orgId, actor: { type: "user", id: userId }, request },
          { action: "organization.created", targetId: orgId, after: org },
        );
        return { ...org, role: owner.role };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (input.slug) throw new DomainError("CONFLICT", `The slug "${input.slug}" is taken`, { field: "slug", reason: "SLUG_TAKEN" });
    }
  }
  throw new DomainError("CONFLICT", "Could not find a free slug; choose one", { field: "slug", reason: "NO_FREE_SLUG" });
}

export async function listMyOrganizations(ctx: UserServiceContext) {
  const { userId } = ctx;
  const memberships = await ctx.db.forTenant({ orgId: null, userId }).member.findMany({
    where: { userId, organization: { status: { not: "deleted" } } },
    select: { role: true, joinedAt: true, organization: { select: { id: true, name: true, slug: true, plan: true, logoUrl: true } } },
    orderBy: { organization: { name: "asc" } },
  });
  return memberships.map((m) => ({ ...m.organization, role: m.role, joinedAt: m.joinedAt }));
}

/**
 * Deleted organizations the caller owns that can still be restored (within RESTORE_WINDOW_DAYS
 * of their deletion), newest deletion first, with the last moment a restore is possible.
 */
export async function listDeletedOrganizations(ctx: UserServiceContext) {
  const { userId } = ctx;
  const windowStart = new Date(Date.now() - RESTORE_WINDOW_DAYS * 86_400_000);
  const memberships = await ctx.db.forTenant({ orgId: null, userId }).member.findMany({
    where: { userId, role: "owner", organization: { status: "deleted", deletedAt: { gt: windowStart } } },
    select: { organization: { select: { id: true, name: true, slug: true, deletedAt: true } } },
    orderBy: { organization: { deletedAt: "desc" } },
  });
  return memberships.map(({ organization }) => {
    const deletedAt = organization.deletedAt as Date;
    return { ...organization, deletedAt, restorableUntil: new Date(deletedAt.getTime() + RESTORE_WINDOW_DAYS * 86_400_000) };
  });
}

type OrganizationJson = Omit<Organization, "deletedAt" | "createdAt" | "updatedAt"> & {
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
  members: number;
  teams: number;
  pendingInvitations: number;
};

export async function getOrganization(ctx: OrgServiceContext) {
  // One round trip (the tenant's settings and the read in one implicit transaction) to a function
  // whose plan the server keeps (see migration hot_read_functions); RLS scopes the counts.
  const [row] = await ctx.db.tenantRead<{ r: OrganizationJson }>({ orgId: ctx.orgId }, "SELECT app_read_organization($1::uuid) AS r", [
    ctx.orgId,
  ]);
  if (!row) throw notFound("Organization");
  const { members, teams, pendingInvitations, deletedAt, createdAt, updatedAt, ...org } = row.r;
  return {
    ...org,
    deletedAt: deletedAt === null ? null : new Date(deletedAt),
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
    counts: { members, teams, pendingInvitations },
  };
}

export interface UpdateOrganizationInput {
  name?: string;
  description?: string | null;
  logoUrl?: string | null;
  timezone?: string;
  currency?: string;
}

export async function updateOrganization(ctx: OrgServiceContext, input: UpdateOrganizationInput) {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const before = await tx.organization.findUnique({ where: { id: ctx.orgId } });
    if (!before) throw notFound("Organization");
    // A new zone applies to budget periods from the next period (docs/budgets.md).
    const zone = input.timezone !== undefined && input.timezone !== before.timezone ? zoneChange(new Date(), before, input.timezone) : {};
    const after = await tx.organization.update({ where: { id: ctx.orgId }, data: { ...input, ...zone } });
    await audit(tx, ctx, {
      action: "organization.updated",
      targetId: ctx.orgId,
      before,
      after,
    });
    return after;
  });
}

async function memberUserIds(ctx: OrgServiceContext): Promise<string[]> {
  return (await ctx.db.forTenant({ orgId: ctx.orgId }).member.findMany({ select: { userId: true } })).map((m) => m.userId);
}

/** Soft delete, confirmed by typing the slug; restorable for 30 days. */
export async function deleteOrganization(ctx: OrgServiceContext, input: { confirmSlug: string }) {
  const result = await ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const before = await tx.organization.findUnique({ where: { id: ctx.orgId } });
    if (!before) throw notFound("Organization");
    if (before.slug !== input.confirmSlug) {
      throw new DomainError("BAD_REQUEST", "Type the organization's slug to confirm", {
        field: "confirmSlug",
        reason: "CONFIRM_SLUG_MISMATCH",
      });
    }
    const after = await tx.organization.update({ where: { id: ctx.orgId }, data: { status: "deleted", deletedAt: new Date() } });
    await audit(tx, ctx, {
      action: "organization.deleted",
      targetId: ctx.orgId,
      before,
      after,
    });
    return {
      id: after.id,
      deletedAt: after.deletedAt,
      restorableUntil: new Date((after.deletedAt as Date).getTime() + RESTORE_WINDOW_DAYS * 86_400_000),
    };
  });
  await invalidateMemberAccess(ctx.store, ctx.orgId, await memberUserIds(ctx));
  await invalidateOrgApiKeys(ctx);
  return result;
}

export async function restoreOrganization(ctx: OrgServiceContext) {
  const result = await ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const before = await tx.organization.findUnique({ where: { id: ctx.orgId } });
    if (!before) throw notFound("Organization");
    if (before.status !== "deleted" || !before.deletedAt)
      throw new DomainError("PRECONDITION_FAILED", "The organization is not deleted", { reason: "NOT_DELETED" });
    if (Date.now() - before.deletedAt.getTime() > RESTORE_WINDOW_DAYS * 86_400_000) {
      throw new DomainError("PRECONDITION_FAILED", `Organizations can be restored for ${RESTORE_WINDOW_DAYS} days after deletion`, {
        reason: "RESTORE_WINDOW_PASSED",
      });
    }
    const after = await tx.organization.update({ where: { id: ctx.orgId }, data: { status: "active", deletedAt: null } });
    await audit(tx, ctx, {
      action: "organization.restored",
      targetId: ctx.orgId,
      before,
      after,
    });
    return after;
  });
  await invalidateMemberAccess(ctx.store, ctx.orgId, await memberUserIds(ctx));
  await invalidateOrgApiKeys(ctx);
  return result;
}

/** The target member becomes an owner and the acting owner an admin, in one transaction. */
export async function transferOwnership(ctx: OrgServiceContext, input: { memberId: string }) {
  if (ctx.access.kind !== "member" || ctx.access.role !== "owner") {
    throw new DomainError("FORBIDDEN", "Only an owner can transfer ownership", { reason: "OWNER_ONLY" });
  }
  const actorMemberId = ctx.access.memberId;
  if (input.memberId === actorMemberId)
    throw new DomainError("BAD_REQUEST", "You already own this organization", { reason: "ALREADY_OWNER" });
  const userIds = await ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    // Lock the owners as every role change does (same lock order, no deadlock), then re-check
    // the actor: a cached role may be older than a demotion that just committed.
    const owners = await lockOwners(tx, ctx.orgId);
    if (!owners.includes(actorMemberId))
      throw new DomainError("FORBIDDEN", "Only an owner can transfer ownership", { reason: "OWNER_ONLY" });
    const target = await tx.member.findUnique({ where: { id: input.memberId } });
    if (!target || target.organizationId !== ctx.orgId) throw notFound("Member");
    // Compared as the database spells the id, whatever spelling the input used.
    if (target.id === actorMemberId) throw new DomainError("BAD_REQUEST", "You already own this organization", { reason: "ALREADY_OWNER" });
    await tx.member.update({ where: { id: target.id }, data: { role: "owner" } });
    const actor = await tx.member.update({ where: { id: actorMemberId }, data: { role: "admin" } });
    await audit(tx, ctx, {
      action: "organization.ownership_transferred",
      targetId: target.id,
      before: { newOwner: target.role, previousOwner: "owner" },
      after: { newOwner: "owner", previousOwner: "admin" },
    });
    return [target.userId, actor.userId];
  });
  await invalidateMemberAccess(ctx.store, ctx.orgId, userIds);
  return { newOwnerMemberId: input.memberId, previousOwnerMemberId: actorMemberId };
}
