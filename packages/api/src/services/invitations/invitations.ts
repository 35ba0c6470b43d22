import type { TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import { decide } from "../../rbac/access.js";
import { atLeast, type MemberRole } from "../../rbac/roles.js";
import { invalidateMemberAccess, readMemberAccess } from "../access/member-access.js";
import { appUrl, enqueueEmail } from "../accounts/email.js";
import { mailIn } from "../accounts/mail-catalogue.js";
import { inlineText } from "../accounts/mail-text.js";
import { enforceRateLimits } from "../accounts/rate-limit.js";
import { audit } from "../audit/audit.js";
import { pageArgs, pageOf } from "../paging.js";
import { hashSecretToken, newSecretToken } from "../secret-token.js";
import type { OrgServiceContext, RequestMeta, UserServiceContext } from "../service-context.js";
import { invitationLimits } from "./limits.js";

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const INVALID_INVITATION = () =>
  new DomainError("BAD_REQUEST", "This invitation is invalid, expired or already used. Ask for a new one.", {
    reason: "INVALID_INVITATION",
  });

/** What an invitation looks like outside the database: never its token hash. */
const PUBLIC_FIELDS = {
  id: true,
  email: true,
  role: true,
  teamIds: true,
  invitedById: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  createdAt: true,
} as const;

async function sendInvitation(
  tx: TenantTransaction,
  ctx: OrgServiceContext,
  invitation: { email: string; role: MemberRole },
  token: string,
) {
  const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { name: true } });
  const link = appUrl(`/invitations/accept?token=${token}`);
  // In the invitee's language when they have an account, else in the inviter's.
  const invitee = await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true, locale: true } });
  const inviter = invitee || !ctx.userId ? null : await tx.user.findUnique({ where: { id: ctx.userId }, select: { locale: true } });
  const mail = mailIn(invitee?.locale ?? inviter?.locale).invitation({ orgName: org.name, role: invitation.role, acceptUrl: link });
  await enqueueEmail(tx, { template: "invitation", to: invitation.email, ...mail });
  if (invitee) {
    // createMany: no RETURNING, since only the invitee may read the row back. No link: the
    // token lives only in the email (tokens are never stored in the clear).
    await tx.notification.createMany({
      data: {
        organizationId: ctx.orgId,
        userId: invitee.id,
        kind: "invitation",
        title: `Invitation to ${inlineText(org.name)}`,
        body: `You are invited to join as ${invitation.role}. Open the invitation email sent to ${invitation.email} to accept.`,
      },
    });
  }
  return link;
}

function checkRoleWithinOwn(ctx: OrgServiceContext, role: MemberRole) {
  const ownRole = ctx.access.kind === "member" ? ctx.access.role : "admin";
  if (!atLeast(ownRole, role))
    throw new DomainError("FORBIDDEN", "You cannot invite someone with a role above your own", { reason: "ROLE_ABOVE_OWN" });
}

/**
 * Invitation mail goes to addresses someone typed, so only a person with a verified address
 * sends it, and within limits (per inviter, per org; see `invitationLimits`).
 */
async function checkMayMail(ctx: OrgServiceContext, extra: { invitationId?: string } = {}) {
  if (!ctx.userId) throw new DomainError("FORBIDDEN", "Only a signed-in member can send invitations", { reason: "SELF" });
  const inviter = await ctx.db.prisma.user.findUnique({ where: { id: ctx.userId }, select: { emailVerifiedAt: true } });
  if (!inviter?.emailVerifiedAt) {
    throw new DomainError("PRECONDITION_FAILED", "Verify your own email address before inviting anyone.", {
      reason: "INVITER_EMAIL_NOT_VERIFIED",
    });
  }
  const limits = invitationLimits();
  await enforceRateLimits(ctx.store, [
    ...(extra.invitationId ? [{ rule: limits.resendPerInvitation, subject: extra.invitationId }] : []),
    { rule: limits.perInviter, subject: ctx.userId },
    { rule: limits.perOrg, subject: ctx.orgId },
  ]);
}

/** Invites an email with a role (and teams); the link's token is returned once and mailed. */
export async function createInvitation(ctx: OrgServiceContext, input: { email: string; role: MemberRole; teamIds: string[] }) {
  checkRoleWithinOwn(ctx, input.role);
  await checkMayMail(ctx);
  const { token, hash: tokenHash } = newSecretToken();
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const teamIds = [...new Set(input.teamIds)];
    if ((await tx.team.count({ where: { id: { in: teamIds } } })) !== teamIds.length) throw notFound("Team");
    const existingMember = await tx.member.findFirst({ where: { user: { email: input.email } }, select: { id: true } });
    if (existingMember) throw new DomainError("CONFLICT", "This person is already a member", { field: "email", reason: "ALREADY_MEMBER" });
    const pending = await tx.invitation.findFirst({
      where: { email: input.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      select: { id: true },
    });
    if (pending)
      throw new DomainError("CONFLICT", "This email already has a pending invitation; resend it instead", {
        field: "email",
        reason: "INVITATION_PENDING",
        invitationId: pending.id,
      });
    const invitation = await tx.invitation.create({
      data: {
        organizationId: ctx.orgId,
        email: input.email,
        role: input.role,
        teamIds,
        tokenHash,
        invitedById: ctx.userId,
        expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS),
      },
      select: PUBLIC_FIELDS,
    });
    const inviteUrl = await sendInvitation(tx, ctx, input, token);
    await audit(tx, ctx, {
      action: "invitation.created",
      targetId: invitation.id,
      after: invitation,
    });
    return { invitation, inviteUrl };
  });
}

export async function listInvitations(ctx: OrgServiceContext, input: { status: "pending" | "all"; cursor?: string | null; limit: number }) {
  const rows = await ctx.db.forTenant({ orgId: ctx.orgId }).invitation.findMany({
    where: input.status === "pending" ? { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } } : {},
    select: PUBLIC_FIELDS,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...pageArgs(input),
  });
  return pageOf(rows, input.limit);
}

async function pendingInvitation(tx: TenantTransaction, invitationId: string) {
  const invitation = await tx.invitation.findUnique({ where: { id: invitationId }, select: PUBLIC_FIELDS });
  if (!invitation) throw notFound("Invitation");
  if (invitation.acceptedAt || invitation.revokedAt)
    throw new DomainError("PRECONDITION_FAILED", "This invitation is no longer pending", { reason: "INVITATION_NOT_PENDING" });
  return invitation;
}

export async function revokeInvitation(ctx: OrgServiceContext, input: { invitationId: string }) {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const before = await pendingInvitation(tx, input.invitationId);
    const after = await tx.invitation.update({ where: { id: before.id }, data: { revokedAt: new Date() }, select: PUBLIC_FIELDS });
    await audit(tx, ctx, {
      action: "invitation.revoked",
      targetId: before.id,
      before,
      after,
    });
    return after;
  });
}

/** A new link (the old one stops working) with a fresh expiry, mailed again. */
export async function resendInvitation(ctx: OrgServiceContext, input: { invitationId: string }) {
  await checkMayMail(ctx, { invitationId: input.invitationId });
  const { token, hash: tokenHash } = newSecretToken();
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const before = await pendingInvitation(tx, input.invitationId);
    checkRoleWithinOwn(ctx, before.role);
    const after = await tx.invitation.update({
      where: { id: before.id },
      data: { tokenHash, expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS) },
      select: PUBLIC_FIELDS,
    });
    const inviteUrl = await sendInvitation(tx, ctx, after, token);
    await audit(tx, ctx, {
      action: "invitation.resent",
      targetId: before.id,
      before,
      after,
    });
    return { invitation: after, inviteUrl };
  });
}

/**
 * An invitation carries its inviter's authority, which may have changed since it was sent:
 * the inviter must still be a member who may invite, with a role at least the invited one.
 * Their member row is locked (shared) until commit, so a demotion or removal racing this
 * accept waits for it, or commits first and is seen here.
 */
async function inviterStillVouches(tx: TenantTransaction, orgId: string, invitation: { id: string; role: MemberRole }) {
  const [row] = await tx.$queryRaw<{ invited_by: string | null }[]>`
    SELECT invited_by FROM invitations WHERE id = ${invitation.id}::uuid FOR UPDATE`;
  const inviterId = row?.invited_by;
  if (!inviterId) return false;
  await tx.$queryRaw`SELECT 1 FROM members WHERE organization_id = ${orgId}::uuid AND user_id = ${inviterId}::uuid FOR SHARE`;
  const inviter = await readMemberAccess(tx, orgId, inviterId);
  if (!inviter || inviter.orgDeleted) return false;
  return decide(inviter.access, "member:invite").allowed && atLeast(inviter.access.role, invitation.role);
}

/** Revokes an invitation whose inviter no longer vouches for it, with an audit event saying why. */
async function voidInvitation(tx: TenantTransaction, orgId: string, invitationId: string, request: RequestMeta) {
  const voided = await tx.$executeRaw`
    UPDATE invitations SET revoked_at = now() WHERE id = ${invitationId}::uuid AND accepted_at IS NULL AND revoked_at IS NULL`;
  if (voided !== 1) return;
  await audit(
    tx,
    { orgId, actor: { type: "system" }, request },
    { action: "invitation.revoked", targetId: invitationId, after: { reason: "inviter_no_longer_authorized" } },
  );
}

interface InvitationLookup {
  id: string;
  organization_id: string;
  organization_name: string;
  organization_slug: string;
  email: string;
  role: MemberRole;
  team_ids: string[];
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

/**
 * Joins the organization with an invitation's token. The signed-in user's verified email must
 * be the invited one. A conditional update marks the invitation used, so two simultaneous
 * accepts cannot both succeed.
 */
export async function acceptInvitation(ctx: UserServiceContext, input: { token: string }) {
  const { db, store, userId, request } = ctx;
  const [invitation] = await db.prisma.$queryRaw<InvitationLookup[]>`SELECT * FROM invitation_lookup(${hashSecretToken(input.token)})`;
  if (!invitation || invitation.accepted_at || invitation.revoked_at || invitation.expires_at <= new Date()) throw INVALID_INVITATION();
  const user = await db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, emailVerifiedAt: true } });
  if (user.email !== invitation.email) {
    throw new DomainError("FORBIDDEN", "This invitation was sent to another email address. Sign in with that address.", {
      reason: "EMAIL_MISMATCH",
    });
  }
  const orgId = invitation.organization_id;
  const outcome = await db.withTenant({ orgId, userId }, async (tx) => {
    if (!(await inviterStillVouches(tx, orgId, invitation))) {
      await voidInvitation(tx, orgId, invitation.id, request);
      return { voided: true as const };
    }
    const claimed = await tx.$executeRaw`
      UPDATE invitations SET accepted_at = now()
       WHERE id = ${invitation.id}::uuid AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()`;
    if (claimed !== 1) throw INVALID_INVITATION();
    if (await tx.member.findUnique({ where: { organizationId_userId: { organizationId: orgId, userId } } })) {
      throw new DomainError("CONFLICT", "You are already a member of this organization", { reason: "ALREADY_MEMBER" });
    }
    const created = await tx.member.create({ data: { organizationId: orgId, userId, role: invitation.role, invitedById: null } });
    const teams = await tx.team.findMany({ where: { id: { in: invitation.team_ids } }, select: { id: true } });
    for (const team of teams) {
      await tx.teamMembership.create({ data: { organizationId: orgId, teamId: team.id, memberId: created.id } });
    }
    // The token reached this address by mail and the account has the same address: accepting
    // with it proves the person reads that mailbox, as the verification link would.
    if (!user.emailVerifiedAt) await tx.user.update({ where: { id: userId }, data: { emailVerifiedAt: new Date() } });
    const auditCtx = { orgId, actor: { type: "user" as const, id: userId }, request };
    await audit(tx, auditCtx, { action: "invitation.accepted", targetId: invitation.id });
    await audit(tx, auditCtx, {
      action: "member.joined",
      targetId: created.id,
      after: { role: created.role, teamIds: teams.map((t) => t.id) },
    });
    return { voided: false as const, member: created };
  });
  // Committed: a voided invitation stays void, whoever tries it next.
  if (outcome.voided) throw INVALID_INVITATION();
  const { member } = outcome;
  await invalidateMemberAccess(store, orgId, [userId]);
  return {
    organization: { id: orgId, name: invitation.organization_name, slug: invitation.organization_slug },
    memberId: member.id,
    role: member.role,
  };
}

/**
 * What an invitation link leads to, before anyone signs in: the organization, the role, who
 * invited, the invited address (to sign in or up with) and whether it can still be accepted.
 * The token is the invitee's secret (256 bits from the email), so holding it is the right to see this.
 */
export async function previewInvitation(ctx: { db: UserServiceContext["db"] }, input: { token: string }) {
  const [invitation] = await ctx.db.prisma.$queryRaw<InvitationLookup[]>`SELECT * FROM invitation_lookup(${hashSecretToken(input.token)})`;
  if (!invitation) throw INVALID_INVITATION();
  const inviter = await ctx.db.withTenant({ orgId: invitation.organization_id }, async (tx) => {
    const [row] = await tx.$queryRaw<{ name: string | null }[]>`
      SELECT u.name FROM invitations i JOIN members m ON m.organization_id = i.organization_id AND m.user_id = i.invited_by
        JOIN users u ON u.id = m.user_id
       WHERE i.id = ${invitation.id}::uuid`;
    return row ?? null;
  });
  const status = invitation.accepted_at
    ? "accepted"
    : invitation.revoked_at
      ? "revoked"
      : invitation.expires_at <= new Date()
        ? "expired"
        : "pending";
  return {
    organization: { name: invitation.organization_name, slug: invitation.organization_slug },
    role: invitation.role,
    email: invitation.email,
    // The inviter's name while they are still a member (else nobody is named).
    invitedBy: inviter ? { name: inviter.name } : null,
    expiresAt: invitation.expires_at,
    status,
  } as const;
}
