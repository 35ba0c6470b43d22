import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { verifyAuditChain } from "./services/audit/audit.js";
import { createMemoryStore } from "./store/index.js";
import { addMember, asUser, contextFor, createWorld, type World } from "./testing/world.js";

let testDb: TestDatabase;
let world: World;
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
});
afterAll(() => testDb.drop());

const as = (userId: string) => createCaller(contextFor(world, { kind: "user", userId }));
const owner = () => createCaller(asUser(world, "owner"));

describe("organizations", () => {
  it("creates an org with the creator as owner and a unique slug from the name; lists it as mine", async () => {
    const me = world.users.nonMember.userId;
    const first = await as(me).organization.create({ name: "Ünïcode Labs, Inc." });
    expect(first).toMatchObject({ name: "Ünïcode Labs, Inc.", slug: "unicode-labs-inc", role: "owner" });
    const second = await as(me).organization.create({ name: "Unicode Labs Inc" });
    expect(second.slug).toMatch(/^unicode-labs-inc-[0-9a-f]{6}$/);
    await expect(as(me).organization.create({ name: "Taken", slug: "unicode-labs-inc" })).rejects.toMatchObject({ code: "CONFLICT" });
    const mine = await as(me).organization.listMine();
    expect(mine.map((o) => o.slug).sort()).toEqual([first.slug, second.slug].sort());
    expect(mine.every((o) => o.role === "owner")).toBe(true);
  });

  it("refuses unknown fields instead of ignoring them (no mass assignment)", async () => {
    const caller = owner();
    // biome-ignore lint/suspicious/noExplicitAny: sending what a forged request would send
    const forged = caller.organization.update as any;
    await expect(forged({ orgId: world.orgId, name: "x", ownerId: world.users.nonMember.userId })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(forged({ orgId: world.orgId, organizationId: world.foreignOrgId, name: "x" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    // biome-ignore lint/suspicious/noExplicitAny: as above
    await expect((caller.organization.create as any)({ name: "x", plan: "enterprise" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("gets and updates with counts, and validates time zone and currency", async () => {
    const org = await owner().organization.get({ orgId: world.orgId });
    // Counted here by another path (the tenant client's own count) than the service's one query.
    const tenant = testDb.db.forTenant({ orgId: world.orgId });
    expect(org.counts.members).toBe(await tenant.member.count());
    expect(org.counts.members).toBeGreaterThanOrEqual(6);
    expect(org.counts.teams).toBe(await tenant.team.count());
    const updated = await owner().organization.update({
      orgId: world.orgId,
      timezone: "Europe/Berlin",
      currency: "EUR",
      description: "Robots",
    });
    expect(updated).toMatchObject({ timezone: "Europe/Berlin", currency: "EUR", description: "Robots" });
    await expect(owner().organization.update({ orgId: world.orgId, timezone: "Mars/Olympus" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("soft-deletes only with the slug typed, hides the org, and restores it", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    const ownerCaller = createCaller(asUser(w, "owner"));
    await expect(ownerCaller.organization.delete({ orgId: w.orgId, confirmSlug: "wrong" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const deleted = await ownerCaller.organization.delete({ orgId: w.orgId, confirmSlug: w.orgSlug });
    expect(deleted.restorableUntil.getTime() - (deleted.deletedAt as Date).getTime()).toBe(30 * 86_400_000);
    await expect(ownerCaller.organization.get({ orgId: w.orgId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await ownerCaller.organization.listMine()).map((o) => o.id)).not.toContain(w.orgId);
    await ownerCaller.organization.restore({ orgId: w.orgId });
    await expect(ownerCaller.organization.get({ orgId: w.orgId })).resolves.toMatchObject({ status: "active" });
  });

  it("transfers ownership: the target becomes owner and the former owner an admin", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    const heir = await addMember(w, "admin");
    await createCaller(asUser(w, "owner")).organization.transferOwnership({ orgId: w.orgId, memberId: heir.memberId });
    const roles = await w.db
      .forTenant({ orgId: w.orgId })
      .member.findMany({ where: { id: { in: [heir.memberId, w.users.owner.memberId as string] } } });
    expect(Object.fromEntries(roles.map((m) => [m.id, m.role]))).toEqual({
      [heir.memberId]: "owner",
      [w.users.owner.memberId as string]: "admin",
    });
    // The former owner lost owner-only rights on the very next call.
    await expect(createCaller(asUser(w, "owner")).organization.delete({ orgId: w.orgId, confirmSlug: w.orgSlug })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("members", () => {
  it("lists with cursor pagination, search and role filter", async () => {
    const page1 = await owner().member.list({ orgId: world.orgId, limit: 4 });
    expect(page1.items).toHaveLength(4);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await owner().member.list({ orgId: world.orgId, limit: 100, cursor: page1.nextCursor as string });
    const ids = [...page1.items, ...page2.items].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = await world.db.forTenant({ orgId: world.orgId }).member.count();
    expect(ids).toHaveLength(all);

    const viewers = await owner().member.list({ orgId: world.orgId, role: "viewer", limit: 100 });
    expect(viewers.items.every((m) => m.role === "viewer")).toBe(true);
    const found = await owner().member.list({ orgId: world.orgId, search: world.users.admin.email.slice(0, 12).toUpperCase(), limit: 100 });
    expect(found.items.map((m) => m.user.email)).toContain(world.users.admin.email);
  });

  it("removes a member (admins not owners), lets members leave, and never the last owner", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    const admin = createCaller(asUser(w, "admin"));
    const gone = await addMember(w, "member");
    await admin.member.remove({ orgId: w.orgId, memberId: gone.memberId });
    await expect(admin.member.remove({ orgId: w.orgId, memberId: w.users.owner.memberId as string })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(createCaller(asUser(w, "owner")).member.leave({ orgId: w.orgId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await createCaller(asUser(w, "viewer")).member.leave({ orgId: w.orgId });
    await expect(createCaller(asUser(w, "viewer")).organization.get({ orgId: w.orgId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("keeps an owner even when the database is written around the service, concurrently", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    const second = await addMember(w, "owner");
    const demote = (memberId: string) =>
      w.db.withTenant({ orgId: w.orgId }, (tx) => tx.member.update({ where: { id: memberId }, data: { role: "admin" } }));
    const results = await Promise.allSettled([demote(second.memberId), demote(w.users.owner.memberId as string)]);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    expect(await w.db.forTenant({ orgId: w.orgId }).member.count({ where: { role: "owner" } })).toBe(1);
  });
});

describe("audit trail", () => {
  it("records every mutation in a hash chain that verifies, and detects tampering", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    const ownerCaller = createCaller({ ...asUser(w, "owner"), ip: "203.0.113.7", userAgent: "audit-test", requestId: "req-audit" });
    const m = await addMember(w, "member");
    await ownerCaller.member.updateRole({ orgId: w.orgId, memberId: m.memberId, role: "viewer" });
    await ownerCaller.organization.update({ orgId: w.orgId, name: "Renamed" });
    await ownerCaller.team.create({ orgId: w.orgId, name: "Audited" });

    const events = await w.db.forTenant({ orgId: w.orgId }).auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["member.role_updated", "organization.updated", "team.created"]);
    expect(events[0]).toMatchObject({
      actorType: "user",
      actorId: w.users.owner.userId,
      ip: "203.0.113.7",
      userAgent: "audit-test",
      requestId: "req-audit",
      seq: 1n,
      prevHash: null,
    });
    expect(events[0]?.before).toEqual({ role: "member" });
    expect(await verifyAuditChain(w.db, w.orgId)).toEqual({ ok: true, events: 3 });

    // Tampering needs a superuser who disables the append-only trigger; the chain still shows it.
    const admin = new pg.Client({ connectionString: testDb.adminUrl });
    await admin.connect();
    try {
      await admin.query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
      await admin.query('UPDATE audit_events SET after = \'{"name": "Forged"}\' WHERE organization_id = $1 AND seq = 2', [w.orgId]);
      await admin.query("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
    } finally {
      await admin.end();
    }
    expect(await verifyAuditChain(w.db, w.orgId)).toEqual({ ok: false, brokenAtSeq: "2" });
  });

  it("writes nothing when the change rolls back", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    await expect(
      createCaller(asUser(w, "owner")).member.updateRole({ orgId: w.orgId, memberId: w.users.owner.memberId as string, role: "viewer" }),
    ).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    expect(await w.db.forTenant({ orgId: w.orgId }).auditEvent.count()).toBe(0);
  });
});
