import { createTestDatabase, createUser, type TestDatabase } from "@aihub/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Permission } from "./rbac/permissions.js";
import { createCaller } from "./root.js";
import { createMemoryStore } from "./store/index.js";
import { addMember, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * Authority that was real when it was used can be gone later: a peer's deny, a grant that
 * expires, an inviter who was demoted. What they handed on must not outlast it.
 */
let testDb: TestDatabase;
let world: World;
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
});
afterAll(() => testDb.drop());

const as = (userId: string) => createCaller(contextFor(world, { kind: "user", userId }));
const owner = () => as(world.users.owner.userId);
const tokenOf = (url: string) => new URL(url).searchParams.get("token") as string;
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof TRPCError ? { code: error.code, reason: (error.cause as { reason?: string })?.reason } : error),
  );

const overrideOf = (memberId: string, permission: Permission) =>
  testDb.db.withTenant({ orgId: world.orgId }, (tx) => tx.memberPermissionOverride.findFirst({ where: { memberId, permission } }));

const setOverride = (
  actorUserId: string,
  memberId: string,
  permission: Permission,
  effect: "grant" | "deny",
  expiresAt: Date | null = null,
) => as(actorUserId).member.setPermissionOverride({ orgId: world.orgId, memberId, permission, effect, expiresAt });

describe("permission overrides", () => {
  it("an admin denied a permission cannot lift a peer's deny of it", async () => {
    const deniedAdmin = await addMember(world, "admin");
    const peer = await addMember(world, "admin");
    await setOverride(world.users.owner.userId, deniedAdmin.memberId, "member:remove", "deny");
    await setOverride(world.users.owner.userId, peer.memberId, "member:remove", "deny");

    const lift = as(deniedAdmin.userId).member.removePermissionOverride({
      orgId: world.orgId,
      memberId: peer.memberId,
      permission: "member:remove",
    });
    expect(await errorOf(lift)).toMatchObject({ code: "FORBIDDEN" });
    expect(await overrideOf(peer.memberId, "member:remove")).toMatchObject({ effect: "deny" });

    // One who holds the permission may lift it.
    await as(world.users.admin.userId).member.removePermissionOverride({
      orgId: world.orgId,
      memberId: peer.memberId,
      permission: "member:remove",
    });
    expect(await overrideOf(peer.memberId, "member:remove")).toBeNull();
  });

  it("a grant never outlives the granter's own expiring grant", async () => {
    const granter = await addMember(world, "member");
    const grantee = await addMember(world, "viewer");
    const soon = new Date(Date.now() + 60 * 60 * 1000);
    // The granter may manage overrides and create teams only until `soon`.
    await setOverride(world.users.owner.userId, granter.memberId, "member:update_permissions", "grant", soon);
    await setOverride(world.users.owner.userId, granter.memberId, "team:create", "grant", soon);

    const forever = await setOverride(granter.userId, grantee.memberId, "team:create", "grant", null);
    expect(forever.expiresAt?.toISOString()).toBe(soon.toISOString());
    expect((await overrideOf(grantee.memberId, "team:create"))?.expiresAt?.toISOString()).toBe(soon.toISOString());

    const later = new Date(soon.getTime() + 24 * 60 * 60 * 1000);
    await setOverride(granter.userId, grantee.memberId, "team:create", "grant", later);
    expect((await overrideOf(grantee.memberId, "team:create"))?.expiresAt?.toISOString()).toBe(soon.toISOString());

    // A shorter grant is kept as asked.
    const sooner = new Date(soon.getTime() - 10 * 60 * 1000);
    await setOverride(granter.userId, grantee.memberId, "team:create", "grant", sooner);
    expect((await overrideOf(grantee.memberId, "team:create"))?.expiresAt?.toISOString()).toBe(sooner.toISOString());
  });

  it("a grant of a permission the granter holds by role is capped by their expiring right to grant", async () => {
    const granter = await addMember(world, "member");
    const grantee = await addMember(world, "viewer");
    const soon = new Date(Date.now() + 30 * 60 * 1000);
    await setOverride(world.users.owner.userId, granter.memberId, "member:update_permissions", "grant", soon);
    // usage:write comes with the member role; the right to hand it on expires.
    await setOverride(granter.userId, grantee.memberId, "usage:write", "grant", null);
    expect((await overrideOf(grantee.memberId, "usage:write"))?.expiresAt?.toISOString()).toBe(soon.toISOString());
  });

  it("grants by someone whose authority does not expire stay as asked", async () => {
    const grantee = await addMember(world, "viewer");
    await setOverride(world.users.admin.userId, grantee.memberId, "team:create", "grant", null);
    expect((await overrideOf(grantee.memberId, "team:create"))?.expiresAt).toBeNull();
  });
});

describe("an invitation whose inviter no longer vouches for it", () => {
  async function invitedBy(inviter: { userId: string }, role: "admin" | "member" = "member") {
    const invitee = await createUser(testDb.db);
    const { invitation, inviteUrl } = await as(inviter.userId).invitation.create({ orgId: world.orgId, email: invitee.email, role });
    return { invitee, invitationId: invitation.id, token: tokenOf(inviteUrl) };
  }
  const stateOf = async (invitationId: string, inviteeId: string) =>
    testDb.db.withTenant({ orgId: world.orgId }, async (tx) => ({
      invitation: await tx.invitation.findUniqueOrThrow({ where: { id: invitationId } }),
      members: await tx.member.count({ where: { userId: inviteeId } }),
      voidEvents: await tx.auditEvent.count({ where: { action: "invitation.revoked", targetId: invitationId, actorType: "system" } }),
    }));

  async function expectVoid(invitationId: string, invitee: { id: string }, token: string) {
    expect(await errorOf(as(invitee.id).invitation.accept({ token }))).toMatchObject({ code: "BAD_REQUEST" });
    const state = await stateOf(invitationId, invitee.id);
    expect(state.members).toBe(0);
    expect(state.invitation.acceptedAt).toBeNull();
    expect(state.invitation.revokedAt).not.toBeNull();
    expect(state.voidEvents).toBe(1);
    // Void for good: a second try finds it revoked.
    expect(await errorOf(as(invitee.id).invitation.accept({ token }))).toMatchObject({ code: "BAD_REQUEST" });
  }

  it("is accepted while the inviter still may invite with that role", async () => {
    const inviter = await addMember(world, "admin");
    const { invitee, invitationId, token } = await invitedBy(inviter, "admin");
    await expect(as(invitee.id).invitation.accept({ token })).resolves.toMatchObject({ role: "admin" });
    expect((await stateOf(invitationId, invitee.id)).members).toBe(1);
  });

  it("is void once the inviter was removed", async () => {
    const inviter = await addMember(world, "admin");
    const { invitee, invitationId, token } = await invitedBy(inviter);
    await owner().member.remove({ orgId: world.orgId, memberId: inviter.memberId });
    await expectVoid(invitationId, invitee, token);
  });

  it("is void once the inviter was demoted below the invited role", async () => {
    const inviter = await addMember(world, "admin");
    const { invitee, invitationId, token } = await invitedBy(inviter, "admin");
    // Still allowed to invite (by a grant), but no longer an admin: cannot vouch for an admin.
    await setOverride(world.users.owner.userId, inviter.memberId, "member:invite", "grant");
    await owner().member.updateRole({ orgId: world.orgId, memberId: inviter.memberId, role: "member" });
    await expectVoid(invitationId, invitee, token);
  });

  it("is void once the inviter lost the right to invite", async () => {
    const inviter = await addMember(world, "admin");
    const { invitee, invitationId, token } = await invitedBy(inviter);
    await setOverride(world.users.owner.userId, inviter.memberId, "member:invite", "deny");
    await expectVoid(invitationId, invitee, token);
  });

  it("is void when nobody vouches for it (no recorded inviter)", async () => {
    const invitee = await createUser(testDb.db);
    const { createHash, randomBytes } = await import("node:crypto");
    const token = randomBytes(32).toString("base64url");
    const invitation = await testDb.db.withTenant({ orgId: world.orgId }, (tx) =>
      tx.invitation.create({
        data: {
          organizationId: world.orgId,
          email: invitee.email,
          role: "member",
          tokenHash: createHash("sha256").update(token).digest("hex"),
          invitedById: null,
        },
      }),
    );
    await expectVoid(invitation.id, invitee, token);
  });
});
