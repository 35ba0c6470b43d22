import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { ZId } from "./schemas/common.js";
import { createMemoryStore, orgKey, type Store } from "./store/index.js";
import { BOTH_STORES } from "./testing/stores.js";
import { addMember, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * An id typed in upper case names the same row to PostgreSQL, but it used to key the permission
 * cache and the advisory locks in its own spelling, so invalidations (made with the lower-case
 * spelling) missed it: a removed, demoted or denied member kept their access by shouting.
 */
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

const upper = (id: string) => id.toUpperCase();
const as = (world: World, userId: string) => createCaller(contextFor(world, { kind: "user", userId }));
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error) => (error instanceof TRPCError ? error.code : `THREW ${String(error)}`),
  );

describe("the shared id schema", () => {
  it("lower-cases a uuid and refuses anything else", () => {
    const id = "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11";
    expect(ZId.parse(id)).toBe("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    expect(ZId.safeParse(` ${id}`).success).toBe(false);
    expect(ZId.safeParse("not-a-uuid").success).toBe(false);
  });

  it("cache keys are the same for every spelling of an org", () => {
    const id = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    expect(orgKey(upper(id), "access", "user", upper(id))).toBe(orgKey(id, "access", "user", id));
  });
});

describe.each(BOTH_STORES)("a member calling with upper-case ids, %s", (_name, makeStore) => {
  let store: Store;
  let world: World;
  beforeAll(async () => {
    store = makeStore();
    world = await createWorld(testDb.db, store);
  });
  afterAll(() => store.close());

  it("is refused at once after being removed", async () => {
    const victim = await addMember(world, "admin");
    const read = () => as(world, victim.userId).organization.get({ orgId: upper(world.orgId) });
    expect(await codeOf(read())).toBe("ok"); // warms the cache under the upper-case spelling
    await as(world, world.users.owner.userId).member.remove({ orgId: world.orgId, memberId: victim.memberId });
    expect(await codeOf(read())).toBe("NOT_FOUND");
    const rows = await testDb.db.withTenant({ orgId: world.orgId }, (tx) => tx.member.count({ where: { id: victim.memberId } }));
    expect(rows).toBe(0);
  });

  it("is refused at once after a demotion, and invites nobody", async () => {
    const admin = await addMember(world, "admin");
    const invite = (email: string) =>
      as(world, admin.userId).invitation.create({ orgId: upper(world.orgId), email, role: "member", teamIds: [] });
    expect(await codeOf(invite(`before-${admin.memberId}@example.test`))).toBe("ok");
    await as(world, world.users.owner.userId).member.updateRole({ orgId: world.orgId, memberId: admin.memberId, role: "viewer" });
    const refusedEmail = `after-${admin.memberId}@example.test`;
    expect(await codeOf(invite(refusedEmail))).toBe("FORBIDDEN");
    const invitations = await testDb.db.withTenant({ orgId: world.orgId }, (tx) => tx.invitation.count({ where: { email: refusedEmail } }));
    expect(invitations).toBe(0);
  });

  it("is refused at once after a deny override", async () => {
    const admin = await addMember(world, "admin");
    const invite = (email: string) =>
      as(world, admin.userId).invitation.create({ orgId: upper(world.orgId), email, role: "viewer", teamIds: [] });
    expect(await codeOf(invite(`ok-${admin.memberId}@example.test`))).toBe("ok");
    await as(world, world.users.owner.userId).member.setPermissionOverride({
      orgId: world.orgId,
      memberId: admin.memberId,
      permission: "member:invite",
      effect: "deny",
    });
    expect(await codeOf(invite(`denied-${admin.memberId}@example.test`))).toBe("FORBIDDEN");
  });

  it("loses access at once when the organization is deleted", async () => {
    const own = await createWorld(testDb.db, store);
    const member = own.users.member.userId;
    expect(await codeOf(as(own, member).organization.get({ orgId: upper(own.orgId) }))).toBe("ok");
    await as(own, own.users.owner.userId).organization.delete({ orgId: own.orgId, confirmSlug: own.orgSlug });
    expect(await codeOf(as(own, member).organization.get({ orgId: upper(own.orgId) }))).toBe("NOT_FOUND");
  });

  it("recognises a team lead on a team id spelled in upper case", async () => {
    const { targetLead } = world.users;
    const read = () => as(world, targetLead.userId).team.get({ orgId: upper(world.orgId), teamId: upper(world.targetTeamId) });
    expect(await codeOf(read())).toBe("ok");
  });
});

describe("self-checks compare ids as stored", () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld(testDb.db, createMemoryStore());
  });

  it("an owner cannot remove themselves by spelling their member id in upper case", async () => {
    const owner = world.users.owner;
    const result = await codeOf(
      as(world, owner.userId).member.remove({ orgId: upper(world.orgId), memberId: upper(owner.memberId as string) }),
    );
    expect(result).toBe("BAD_REQUEST");
    const still = await testDb.db.withTenant({ orgId: world.orgId }, (tx) => tx.member.findUnique({ where: { id: owner.memberId } }));
    expect(still?.role).toBe("owner");
  });

  it("an owner cannot transfer ownership to themselves in upper case (which used to demote the only owner)", async () => {
    const owner = world.users.owner;
    const result = await codeOf(
      as(world, owner.userId).organization.transferOwnership({ orgId: upper(world.orgId), memberId: upper(owner.memberId as string) }),
    );
    expect(result).toBe("BAD_REQUEST");
    const owners = await testDb.db.withTenant({ orgId: world.orgId }, (tx) => tx.member.findMany({ where: { role: "owner" } }));
    expect(owners.map((o) => o.id)).toEqual([owner.memberId]);
  });
});
