import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { createMemoryStore, createRedisStore, orgKey, type Store } from "./store/index.js";
import { addMember, asUser, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * Losing access takes effect on the very next call, even when that user's access is cached:
 * after removal, demotion, a deny, losing a team lead role, a team moving out from under the
 * team one leads, the org's deletion and an ownership transfer. On the in-process store and on
 * real Redis (docs/authorization.md, "The permission cache").
 */
let testDb: TestDatabase;
const stores: Store[] = [];
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await testDb.drop();
});

const STORES = {
  memory: () => createMemoryStore(),
  redis: () => createRedisStore(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { commandTimeoutMs: 1_000 }),
};

const as = (w: World, userId: string) => createCaller(contextFor(w, { kind: "user", userId }));
const accessKey = (w: World, userId: string) => orgKey(w.orgId, "access", "user", userId);

describe.each(Object.keys(STORES) as (keyof typeof STORES)[])("on the %s store", (kind) => {
  let w: World;
  beforeAll(async () => {
    const store = STORES[kind]();
    stores.push(store);
    w = await createWorld(testDb.db, store);
  });
  const owner = () => createCaller(asUser(w, "owner"));

  /** Calls once as the user (allowed) and checks their access is now in the cache. */
  async function warm(userId: string, allowedCall: () => Promise<unknown>, inWorld = w) {
    await allowedCall();
    expect(await inWorld.store.get(accessKey(inWorld, userId)), "the user's access is cached").not.toBeNull();
  }

  it("a removed member is refused (NOT_FOUND) on the next call", async () => {
    const gone = await addMember(w, "admin");
    await warm(gone.userId, () => as(w, gone.userId).member.list({ orgId: w.orgId, limit: 5 }));
    await owner().member.remove({ orgId: w.orgId, memberId: gone.memberId });
    await expect(as(w, gone.userId).member.list({ orgId: w.orgId, limit: 5 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(w, gone.userId).invitation.list({ orgId: w.orgId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a member who left is refused on the next call", async () => {
    const leaving = await addMember(w, "member");
    await warm(leaving.userId, () => as(w, leaving.userId).organization.get({ orgId: w.orgId }));
    await as(w, leaving.userId).member.leave({ orgId: w.orgId });
    await expect(as(w, leaving.userId).organization.get({ orgId: w.orgId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a demoted admin loses the admin's permissions on the next call", async () => {
    const demoted = await addMember(w, "admin");
    await warm(demoted.userId, () => as(w, demoted.userId).invitation.list({ orgId: w.orgId }));
    await owner().member.updateRole({ orgId: w.orgId, memberId: demoted.memberId, role: "viewer" });
    await expect(as(w, demoted.userId).invitation.list({ orgId: w.orgId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const someone = await addMember(w, "viewer");
    await expect(as(w, demoted.userId).member.remove({ orgId: w.orgId, memberId: someone.memberId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("a deny takes the permission away on the next call, and lifting it gives it back", async () => {
    const denied = await addMember(w, "admin");
    await warm(denied.userId, () => as(w, denied.userId).invitation.list({ orgId: w.orgId }));
    await owner().member.setPermissionOverride({ orgId: w.orgId, memberId: denied.memberId, permission: "member:invite", effect: "deny" });
    await expect(as(w, denied.userId).invitation.list({ orgId: w.orgId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await owner().member.removePermissionOverride({ orgId: w.orgId, memberId: denied.memberId, permission: "member:invite" });
    await expect(as(w, denied.userId).invitation.list({ orgId: w.orgId })).resolves.toBeDefined();
  });

  it("a team lead stepped down, or taken off the team, no longer manages it on the next call", async () => {
    const lead = await addMember(w, "member");
    await owner().team.addMember({ orgId: w.orgId, teamId: w.targetTeamId, memberId: lead.memberId, role: "lead" });
    const update = () => as(w, lead.userId).team.update({ orgId: w.orgId, teamId: w.targetTeamId, description: "by the lead" });
    await warm(lead.userId, update);
    await owner().team.updateMemberRole({ orgId: w.orgId, teamId: w.targetTeamId, memberId: lead.memberId, role: "member" });
    await expect(update()).rejects.toMatchObject({ code: "FORBIDDEN" });

    await owner().team.updateMemberRole({ orgId: w.orgId, teamId: w.targetTeamId, memberId: lead.memberId, role: "lead" });
    await warm(lead.userId, update);
    await owner().team.removeMember({ orgId: w.orgId, teamId: w.targetTeamId, memberId: lead.memberId });
    await expect(update()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("a team moved out from under the team one leads is no longer theirs on the next call", async () => {
    const team = await owner().team.create({ orgId: w.orgId, name: `Moving ${kind}`, parentTeamId: w.parentTeamId });
    const ancestorLead = w.users.targetLead.userId; // leads the parent
    const update = () => as(w, ancestorLead).team.update({ orgId: w.orgId, teamId: team.id, description: "by the parent's lead" });
    await warm(ancestorLead, update);
    expect(await w.store.get(orgKey(w.orgId, "teams", "parents")), "the team tree is cached").not.toBeNull();
    await owner().team.move({ orgId: w.orgId, teamId: team.id, newParentTeamId: w.unrelatedTeamId });
    await expect(update()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("a former owner cannot act as owner after transferring ownership", async () => {
    const w2 = await createWorld(testDb.db, w.store);
    const formerOwner = w2.users.owner.userId;
    await warm(
      formerOwner,
      () => as(w2, formerOwner).permission.explain({ orgId: w2.orgId, subject: { userId: formerOwner }, permission: "org:delete" }),
      w2,
    );
    await as(w2, formerOwner).organization.transferOwnership({ orgId: w2.orgId, memberId: w2.users.admin.memberId as string });
    await expect(as(w2, formerOwner).organization.delete({ orgId: w2.orgId, confirmSlug: w2.orgSlug })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      as(w2, formerOwner).organization.transferOwnership({ orgId: w2.orgId, memberId: w2.users.member.memberId as string }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("members of a deleted organization are refused on the next call", async () => {
    const w2 = await createWorld(testDb.db, w.store);
    const viewer = w2.users.viewer.userId;
    await warm(viewer, () => as(w2, viewer).organization.get({ orgId: w2.orgId }), w2);
    await createCaller(asUser(w2, "owner")).organization.delete({ orgId: w2.orgId, confirmSlug: w2.orgSlug });
    await expect(as(w2, viewer).organization.get({ orgId: w2.orgId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(w2, viewer).team.list({ orgId: w2.orgId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
