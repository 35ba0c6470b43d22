import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { createMemoryStore } from "./store/index.js";
import { contextFor, createWorld, type World } from "./testing/world.js";

/** `organization.listDeleted`: the way back the 30-day restore window promises. */
let testDb: TestDatabase;
let world: World;
let admin: pg.Client;
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await testDb.drop();
});

const as = (userId: string) => createCaller(contextFor(world, { kind: "user", userId }));
const DAY = 86_400_000;

describe("organization.listDeleted", () => {
  it("lists the caller's deleted organizations with the last moment to restore them; restoring takes it off the list", async () => {
    const { org, owner, members } = await createOrg(testDb.db, { members: [{ role: "admin" }] });
    const adminUser = members[1]?.user.id as string;
    await as(owner.user.id).organization.delete({ orgId: org.id, confirmSlug: org.slug });
    const { deleted_at: deletedAt } = (await admin.query("SELECT deleted_at FROM organizations WHERE id = $1", [org.id])).rows[0];

    const listed = await as(owner.user.id).organization.listDeleted();
    expect(listed).toEqual([
      { id: org.id, name: org.name, slug: org.slug, deletedAt, restorableUntil: new Date(deletedAt.getTime() + 30 * DAY) },
    ]);
    expect((await as(owner.user.id).organization.listMine()).map((o) => o.id)).not.toContain(org.id);
    // Only owners can restore, so only owners see it.
    expect(await as(adminUser).organization.listDeleted()).toEqual([]);

    await as(owner.user.id).organization.restore({ orgId: org.id });
    expect(await as(owner.user.id).organization.listDeleted()).toEqual([]);
    expect((await as(owner.user.id).organization.listMine()).map((o) => o.id)).toContain(org.id);
  });

  it("leaves out organizations past the restore window, newest deletion first", async () => {
    const { owner, org: old } = await createOrg(testDb.db);
    const ownerUser = await testDb.db.prisma.user.findUniqueOrThrow({ where: { id: owner.user.id } });
    const { org: recent } = await createOrg(testDb.db, { members: [{ role: "owner", user: ownerUser }] });
    await as(owner.user.id).organization.delete({ orgId: old.id, confirmSlug: old.slug });
    await as(owner.user.id).organization.delete({ orgId: recent.id, confirmSlug: recent.slug });
    await admin.query("UPDATE organizations SET deleted_at = now() - interval '31 days' WHERE id = $1", [old.id]);
    expect((await as(owner.user.id).organization.listDeleted()).map((o) => o.id)).toEqual([recent.id]);

    await admin.query("UPDATE organizations SET deleted_at = now() - interval '29 days' WHERE id = $1", [old.id]);
    const listed = await as(owner.user.id).organization.listDeleted();
    expect(listed.map((o) => o.id)).toEqual([recent.id, old.id]);
    const lastDay = listed[1]?.restorableUntil.getTime() as number;
    expect(lastDay).toBeGreaterThan(Date.now() + 0.9 * DAY);
    expect(lastDay).toBeLessThan(Date.now() + 1.1 * DAY);
  });
});
