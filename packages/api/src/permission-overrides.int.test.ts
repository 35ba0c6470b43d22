import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { invalidateMemberAccess } from "./services/access/member-access.js";
import { createMemoryStore } from "./store/index.js";
import { addMember, asUser, createWorld, type World } from "./testing/world.js";

let testDb: TestDatabase;
let world: World;
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
});
afterAll(() => testDb.drop());

const asPerson = (userId: string) => createCaller({ ...asUser(world, "owner"), identity: { kind: "user", userId } });
const owner = () => createCaller(asUser(world, "owner"));
const canExplain = (userId: string) =>
  asPerson(userId).permission.explain({ orgId: world.orgId, subject: { userId: world.users.viewer.userId }, permission: "team:read" });

describe("permission overrides", () => {
  it("lets a deny beat the role, and removing it restores the role's permission", async () => {
    const admin = await addMember(world, "admin");
    await expect(canExplain(admin.userId)).resolves.toMatchObject({ allowed: true });
    await owner().member.setPermissionOverride({
      orgId: world.orgId,
      memberId: admin.memberId,
      permission: "member:update_permissions",
      effect: "deny",
    });
    await expect(canExplain(admin.userId)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const why = await owner().permission.explain({
      orgId: world.orgId,
      subject: { userId: admin.userId },
      permission: "member:update_permissions",
    });
    expect(why).toMatchObject({ allowed: false, reasons: [{ kind: "deny" }] });
    await owner().member.removePermissionOverride({
      orgId: world.orgId,
      memberId: admin.memberId,
      permission: "member:update_permissions",
    });
    await expect(canExplain(admin.userId)).resolves.toMatchObject({ allowed: true });
  });

  it("honours a grant until it expires, then lets it lapse by itself", async () => {
    const viewer = await addMember(world, "viewer");
    await owner().member.setPermissionOverride({
      orgId: world.orgId,
      memberId: viewer.memberId,
      permission: "member:update_permissions",
      effect: "grant",
      expiresAt: new Date(Date.now() + 60_000),
    });
    await expect(canExplain(viewer.userId)).resolves.toMatchObject({ allowed: true });

    // Time passes: the grant's expiry is now behind us (written directly; the API refuses past expiries).
    await world.db.withTenant({ orgId: world.orgId }, (tx) =>
      tx.memberPermissionOverride.updateMany({ where: { memberId: viewer.memberId }, data: { expiresAt: new Date(Date.now() - 1_000) } }),
    );
    await invalidateMemberAccess(world.store, world.orgId, [viewer.userId]);
    await expect(canExplain(viewer.userId)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const why = await owner().permission.explain({
      orgId: world.orgId,
      subject: { userId: viewer.userId },
      permission: "member:update_permissions",
    });
    expect(why.reasons.map((r) => r.kind)).toEqual(["role", "expired_grant"]);
  });

  it("refuses a past expiry", async () => {
    const viewer = await addMember(world, "viewer");
    await expect(
      owner().member.setPermissionOverride({
        orgId: world.orgId,
        memberId: viewer.memberId,
        permission: "budget:write",
        effect: "grant",
        expiresAt: new Date(Date.now() - 60_000),
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("allows no escalation: nobody grants what they do not hold", async () => {
    const admin = await addMember(world, "admin");
    const target = await addMember(world, "member");
    // Admins do not hold org:delete, so they cannot hand it out.
    await expect(
      asPerson(admin.userId).member.setPermissionOverride({
        orgId: world.orgId,
        memberId: target.memberId,
        permission: "org:delete",
        effect: "grant",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    // A member granted only the right to manage permissions cannot grant budget:write onward.
    const delegate = await addMember(world, "member");
    await owner().member.setPermissionOverride({
      orgId: world.orgId,
      memberId: delegate.memberId,
      permission: "member:update_permissions",
      effect: "grant",
    });
    await expect(
      asPerson(delegate.userId).member.setPermissionOverride({
        orgId: world.orgId,
        memberId: target.memberId,
        permission: "budget:write",
        effect: "grant",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // …nor change their own permissions, nor touch an owner's.
    await expect(
      asPerson(delegate.userId).member.setPermissionOverride({
        orgId: world.orgId,
        memberId: delegate.memberId,
        permission: "team:read",
        effect: "grant",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      asPerson(admin.userId).member.setPermissionOverride({
        orgId: world.orgId,
        memberId: world.users.owner.memberId as string,
        permission: "team:read",
        effect: "deny",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    const targetOverrides = await world.db
      .forTenant({ orgId: world.orgId })
      .memberPermissionOverride.count({ where: { memberId: target.memberId } });
    expect(targetOverrides).toBe(0);
  });

  it("explains team-lead inheritance and API key scopes", async () => {
    const lead = await owner().permission.explain({
      orgId: world.orgId,
      subject: { userId: world.users.targetLead.userId },
      permission: "team:manage_members",
      teamId: world.targetTeamId,
    });
    expect(lead).toMatchObject({ allowed: true });
    expect(lead.reasons.at(-1)).toEqual({ kind: "team_lead", teamId: world.targetTeamId, viaTeamId: world.parentTeamId });
    const unrelated = await owner().permission.explain({
      orgId: world.orgId,
      subject: { userId: world.users.unrelatedLead.userId },
      permission: "team:manage_members",
      teamId: world.targetTeamId,
    });
    expect(unrelated.allowed).toBe(false);
  });
});

describe("member roles", () => {
  it("keeps the last owner: demoting the only owner is refused, and two owners demoting each other at once leave one", async () => {
    await expect(
      owner().member.updateRole({ orgId: world.orgId, memberId: world.users.owner.memberId as string, role: "admin" }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });

    const second = await addMember(world, "owner");
    const results = await Promise.allSettled([
      owner().member.updateRole({ orgId: world.orgId, memberId: second.memberId, role: "admin" }),
      asPerson(second.userId).member.updateRole({ orgId: world.orgId, memberId: world.users.owner.memberId as string, role: "admin" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const owners = await world.db.forTenant({ orgId: world.orgId }).member.count({ where: { role: "owner" } });
    expect(owners).toBe(1);
  });

  it("lets nobody give a role above their own, and admins not touch owners", async () => {
    const admin = await addMember(world, "admin");
    const member = await addMember(world, "member");
    await expect(
      asPerson(admin.userId).member.updateRole({ orgId: world.orgId, memberId: member.memberId, role: "owner" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const someOwner = await addMember(world, "owner");
    await expect(
      asPerson(admin.userId).member.updateRole({ orgId: world.orgId, memberId: someOwner.memberId, role: "viewer" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      asPerson(admin.userId).member.updateRole({ orgId: world.orgId, memberId: member.memberId, role: "admin" }),
    ).resolves.toMatchObject({
      role: "admin",
    });
  });
});

describe("rank", () => {
  it("lets nobody demote, remove or restrict someone who outranks them, even when granted the permission", async () => {
    const delegate = await addMember(world, "member");
    for (const permission of ["member:update_role", "member:remove", "member:update_permissions"] as const) {
      await owner().member.setPermissionOverride({ orgId: world.orgId, memberId: delegate.memberId, permission, effect: "grant" });
    }
    const admin = await addMember(world, "admin");
    const as = asPerson(delegate.userId);
    await expect(as.member.updateRole({ orgId: world.orgId, memberId: admin.memberId, role: "viewer" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(as.member.remove({ orgId: world.orgId, memberId: admin.memberId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      as.member.setPermissionOverride({ orgId: world.orgId, memberId: admin.memberId, permission: "member:update_role", effect: "deny" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // …while a peer or someone below is fair game.
    const viewer = await addMember(world, "viewer");
    await expect(as.member.remove({ orgId: world.orgId, memberId: viewer.memberId })).resolves.toMatchObject({ removed: true });
    const stillAdmin = await world.db.forTenant({ orgId: world.orgId }).member.findUniqueOrThrow({ where: { id: admin.memberId } });
    expect(stillAdmin.role).toBe("admin");
  });
});
