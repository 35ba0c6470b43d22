import { randomUUID } from "node:crypto";
import type { Database } from "@aihub/db";
import { createOrg, createTeam, createUser } from "@aihub/db/testing";
import { type Context, createInnerContext, type Identity } from "../context.js";
import { PERMISSIONS, type Permission } from "../rbac/permissions.js";
import { invalidateTeamTree, loadMemberAccess } from "../services/access/member-access.js";
import { authenticateApiKey } from "../services/api-keys/authenticate-api-key.js";
import { issueApiKey } from "../services/api-keys/issue-api-key.js";
import { createPersonalToken } from "../services/personal-tokens/personal-tokens.js";
import { authenticatePersonalToken } from "../services/personal-tokens/verify-personal-token.js";
import type { Store } from "../store/index.js";

/**
 * One organization with a member of every role and team leads, a second organization, and a
 * user who belongs nowhere: the cast of the authorization tests.
 */
export interface World {
  db: Database;
  store: Store;
  orgId: string;
  orgSlug: string;
  foreignOrgId: string;
  /**
   * A team under `parentTeamId`. `targetLead` leads the parent (so the target by inheritance),
   * `directLead` leads the target itself, `teamMember` is a plain member of it.
   */
  targetTeamId: string;
  parentTeamId: string;
  /** The target's sibling (also under `parentTeamId`), led by `siblingLead`. */
  siblingTeamId: string;
  unrelatedTeamId: string;
  users: Record<WorldUser, { userId: string; email: string; memberId?: string }>;
}

export type WorldUser =
  | "owner"
  | "admin"
  | "member"
  | "viewer"
  | "targetLead"
  | "directLead"
  | "siblingLead"
  | "teamMember"
  | "unrelatedLead"
  | "nonMember"
  | "foreignOwner";

export async function createWorld(db: Database, store: Store): Promise<World> {
  const a = await createOrg(db, {
    members: [
      { role: "admin" },
      { role: "member" },
      { role: "viewer" },
      { role: "member" },
      { role: "member" },
      { role: "member" },
      { role: "member" },
      { role: "member" },
    ],
  });
  const [owner, admin, member, viewer, targetLead, unrelatedLead, directLead, siblingLead, teamMember] = a.members.map((m) => ({
    userId: m.user.id,
    email: m.user.email,
    memberId: m.member.id,
  }));
  const parent = await createTeam(db, {
    orgId: a.org.id,
    name: "Parent",
    members: [{ memberId: targetLead?.memberId as string, role: "lead" }],
  });
  const target = await createTeam(db, {
    orgId: a.org.id,
    name: "Target",
    parentTeamId: parent.id,
    members: [
      { memberId: directLead?.memberId as string, role: "lead" },
      { memberId: teamMember?.memberId as string, role: "member" },
    ],
  });
  const sibling = await createTeam(db, {
    orgId: a.org.id,
    name: "Sibling",
    parentTeamId: parent.id,
    members: [{ memberId: siblingLead?.memberId as string, role: "lead" }],
  });
  const unrelated = await createTeam(db, {
    orgId: a.org.id,
    name: "Unrelated",
    members: [{ memberId: unrelatedLead?.memberId as string, role: "lead" }],
  });
  const b = await createOrg(db);
  const outsider = await createUser(db);
  return {
    db,
    store,
    orgId: a.org.id,
    orgSlug: a.org.slug,
    foreignOrgId: b.org.id,
    targetTeamId: target.id,
    parentTeamId: parent.id,
    siblingTeamId: sibling.id,
    unrelatedTeamId: unrelated.id,
    users: {
      owner: owner as World["users"]["owner"],
      admin: admin as World["users"]["admin"],
      member: member as World["users"]["member"],
      viewer: viewer as World["users"]["viewer"],
      targetLead: targetLead as World["users"]["targetLead"],
      unrelatedLead: unrelatedLead as World["users"]["unrelatedLead"],
      directLead: directLead as World["users"]["directLead"],
      siblingLead: siblingLead as World["users"]["siblingLead"],
      teamMember: teamMember as World["users"]["teamMember"],
      nonMember: { userId: outsider.id, email: outsider.email },
      foreignOwner: { userId: b.owner.user.id, email: b.owner.user.email, memberId: b.owner.member.id },
    },
  };
}

/** An API key of the world's org with the given scopes (bound to `teamId` if given), issued by its owner; returns its identity. */
export async function apiKeyIdentity(world: World, scopes: Permission[], teamId: string | null = null): Promise<Identity> {
  const owner = await loadMemberAccess(world, world.orgId, world.users.owner.userId);
  if (!owner) throw new Error("world owner missing");
  const { key } = await issueApiKey(
    world.db,
    { userId: world.users.owner.userId, access: owner },
    { orgId: world.orgId, name: `key ${randomUUID()}`, scopes, teamId },
  );
  const identity = await authenticateApiKey(world.db, key);
  if (!identity) throw new Error("freshly issued key did not authenticate");
  return identity;
}

/** A personal access token of one of the world's people with the given scopes, created as the product does; returns its identity. */
export async function personalTokenIdentity(world: World, who: WorldUser, scopes: Permission[]): Promise<Identity> {
  const { token } = await createPersonalToken(
    { db: world.db, store: world.store, userId: world.users[who].userId, request: { requestId: randomUUID(), ip: null, userAgent: null } },
    { name: `token ${randomUUID()}`, scopes, expiresAt: new Date(Date.now() + 30 * 86_400_000), environment: "test" },
  );
  const identity = await authenticatePersonalToken(world.db, token);
  if (!identity) throw new Error("freshly created token did not authenticate");
  return identity;
}

export const allScopesExcept = (permission: Permission) => PERMISSIONS.filter((p) => p !== permission);

/** A context as a server would build it for this identity. */
export function contextFor(world: World, identity: Identity | null): Context {
  return createInnerContext({
    db: world.db,
    store: world.store,
    identity,
    ip: `10.0.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`,
  });
}

export const asUser = (world: World, who: keyof World["users"]) => contextFor(world, { kind: "user", userId: world.users[who].userId });

/** A fresh member of the world's org (so a mutation in one call cannot disturb another). */
export async function addMember(
  world: World,
  role: "owner" | "admin" | "member" | "viewer" = "member",
): Promise<{ userId: string; memberId: string }> {
  const user = await createUser(world.db);
  const member = await world.db.withTenant({ orgId: world.orgId }, (tx) =>
    tx.member.create({ data: { organizationId: world.orgId, userId: user.id, role } }),
  );
  return { userId: user.id, memberId: member.id };
}

/** A pending invitation of the world's org, straight into the database. */
export async function addInvitation(world: World, email = `invitee-${randomUUID()}@example.test`): Promise<string> {
  const invitation = await world.db.withTenant({ orgId: world.orgId }, (tx) =>
    tx.invitation.create({ data: { organizationId: world.orgId, email, tokenHash: randomUUID(), role: "member" } }),
  );
  return invitation.id;
}

/** A team under the world's target team (so its lead leads this one too). */
export async function addTeamUnderTarget(world: World): Promise<string> {
  const team = await createTeam(world.db, { orgId: world.orgId, name: `Team ${randomUUID()}`, parentTeamId: world.targetTeamId });
  await invalidateTeamTree(world.store, world.orgId); // as the product does after creating a team
  return team.id;
}
