import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createUser } from "./testing/factories.js";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.js";

// Defence in depth behind the services: under an organization's tenant context the app role
// may notify only that organization's members and the users it has a pending invitation for.
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

function notify(orgId: string, userId: string) {
  return testDb.db.withTenant({ orgId }, (tx) =>
    tx.notification.createMany({ data: { organizationId: orgId, userId, kind: "test", title: "Hello", body: "World" } }),
  );
}

function invite(orgId: string, email: string, state: { expiresAt?: Date; revokedAt?: Date; acceptedAt?: Date } = {}) {
  return testDb.db.withTenant({ orgId }, (tx) =>
    tx.invitation.create({ data: { organizationId: orgId, email, role: "member", tokenHash: crypto.randomUUID(), ...state } }),
  );
}

describe("notifications insert policy", () => {
  it("lets an organization notify its members and the invitees of its pending invitations", async () => {
    const { org, owner, members } = await createOrg(testDb.db, { members: [{ role: "viewer" }] });
    await expect(notify(org.id, owner.user.id)).resolves.toEqual({ count: 1 });
    await expect(notify(org.id, members[1]?.user.id as string)).resolves.toEqual({ count: 1 });

    const invitee = await createUser(testDb.db);
    await invite(org.id, invitee.email);
    await expect(notify(org.id, invitee.id)).resolves.toEqual({ count: 1 });
  });

  it("refuses anyone else: another organization's people, strangers, and invitees whose invitation is over", async () => {
    const { org } = await createOrg(testDb.db);
    const other = await createOrg(testDb.db, { members: [{ role: "member" }] });
    await expect(notify(org.id, other.owner.user.id)).rejects.toThrow(/row-level security/);
    await expect(notify(org.id, other.members[1]?.user.id as string)).rejects.toThrow(/row-level security/);
    await expect(notify(org.id, (await createUser(testDb.db)).id)).rejects.toThrow(/row-level security/);

    // An invitation of the other organization does not make its invitee ours.
    const theirs = await createUser(testDb.db);
    await invite(other.org.id, theirs.email);
    await expect(notify(org.id, theirs.id)).rejects.toThrow(/row-level security/);

    const past = new Date(Date.now() - 1000);
    for (const state of [{ expiresAt: past }, { revokedAt: past }, { acceptedAt: past }]) {
      const user = await createUser(testDb.db);
      await invite(org.id, user.email, state);
      await expect(notify(org.id, user.id), JSON.stringify(state)).rejects.toThrow(/row-level security/);
    }
  });

  it("still refuses a row for another organization than the tenant context", async () => {
    const { org } = await createOrg(testDb.db);
    const other = await createOrg(testDb.db);
    await expect(
      testDb.db.withTenant({ orgId: org.id }, (tx) =>
        tx.notification.createMany({
          data: { organizationId: other.org.id, userId: other.owner.user.id, kind: "test", title: "Hello", body: "World" },
        }),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
