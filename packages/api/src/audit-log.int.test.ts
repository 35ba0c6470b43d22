import { randomUUID } from "node:crypto";
import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Identity } from "./context.js";
import { createCaller } from "./root.js";
import { type AuditContext, audit, verifyAuditChain } from "./services/audit/audit.js";
import { purgeAuditEvents } from "./services/audit/audit-log.js";
import { AuditExportError, openAuditExport } from "./services/audit/export.js";
import { createMemoryStore } from "./store/index.js";
import { insertChain } from "./testing/audit-bulk-chain.js";
import { apiKeyIdentity, asUser, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * The audit log's read side and retention, through the router as callers use it: filters and
 * paging, the before/after diff, the verifier on a tampered row and across purges, the purge's
 * limits, and the export's access and CSV escaping.
 */
let testDb: TestDatabase;
let admin: pg.Client;
let world: World;

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  world = await createWorld(testDb.db, createMemoryStore());
});
afterAll(async () => {
  await admin.end();
  await testDb.drop();
});

const owner = () => createCaller(asUser(world, "owner"));
const request = (id: string) => ({ requestId: id, ip: "203.0.113.5", userAgent: "audit-log-test" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function write(orgId: string, ctx: Omit<AuditContext, "orgId">, event: Parameters<typeof audit>[2]): Promise<void> {
  await testDb.db.withTenant({ orgId }, (tx) => audit(tx, { orgId, ...ctx }, event));
}

describe("typed audit events", () => {
  it("keeps only the action's fields: secrets and unlisted columns never reach the trail", async () => {
    const { org, owner: o } = await createOrg(testDb.db);
    const actor = { type: "user" as const, id: o.user.id };
    await write(
      org.id,
      { actor, request: request("r1") },
      {
        action: "invitation.created",
        targetId: randomUUID(),
        // A full row as a service would have it, token hash included.
        after: { email: "x@example.test", role: "member", tokenHash: "deadbeef", organizationId: org.id, expiresAt: new Date(0) } as never,
      },
    );
    const [event] = await admin
      .query("SELECT target_type, after FROM audit_events WHERE organization_id = $1", [org.id])
      .then((r) => r.rows);
    expect(event).toEqual({
      target_type: "invitation",
      after: { email: "x@example.test", role: "member", expiresAt: "1970-01-01T00:00:00.000Z" },
    });
  });
});

describe("audit.list", () => {
  it("filters by actor, action, target and date range, newest first, paged by cursor", async () => {
    const { org, owner: o } = await createOrg(testDb.db, { members: [{ role: "admin" }] });
    const ownerActor = { type: "user" as const, id: o.user.id };
    const other = randomUUID();
    const teamA = randomUUID();
    const teamB = randomUUID();
    await write(org.id, { actor: ownerActor, request: request("1") }, { action: "team.created", targetId: teamA, after: { name: "A" } });
    await sleep(5);
    await write(org.id, { actor: ownerActor, request: request("2") }, { action: "team.updated", targetId: teamA, after: { name: "A2" } });
    await sleep(5);
    await write(org.id, { actor: { type: "api_key", id: other }, request: request("3") }, { action: "team.created", targetId: teamB });
    await sleep(5);
    await write(org.id, { actor: ownerActor, request: request("4") }, { action: "team.deleted", targetId: teamB });
    const caller = createCaller(contextFor(world, { kind: "user", userId: o.user.id }));
    const list = (filters: Record<string, unknown>) => caller.audit.list({ orgId: org.id, limit: 100, ...filters });
    const ids = async (filters: Record<string, unknown>) => (await list(filters)).items.map((e) => e.requestId);

    expect(await ids({})).toEqual(["4", "3", "2", "1"]);
    expect(await ids({ actorId: other })).toEqual(["3"]);
    expect(await ids({ actorId: o.user.id })).toEqual(["4", "2", "1"]);
    expect(await ids({ action: "team.created" })).toEqual(["3", "1"]);
    expect(await ids({ targetType: "team", targetId: teamA })).toEqual(["2", "1"]);
    expect(await ids({ targetType: "organization" })).toEqual([]);

    const all = (await list({})).items;
    const second = all.find((e) => e.requestId === "2");
    const fourth = all.find((e) => e.requestId === "4");
    // from inclusive, to exclusive
    expect(await ids({ from: second?.createdAt, to: fourth?.createdAt })).toEqual(["3", "2"]);
    expect(await ids({ from: fourth?.createdAt })).toEqual(["4"]);
    await expect(list({ from: fourth?.createdAt, to: second?.createdAt })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list({ limit: 3, cursor });
      seen.push(...page.items.map((e) => e.requestId as string));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["4", "3", "2", "1"]);
  });
});

describe("audit.get", () => {
  it("shows a change field by field: changed, unchanged, added and removed, values as JSON text", async () => {
    await owner().organization.update({ orgId: world.orgId, description: "before the change" });
    await owner().organization.update({ orgId: world.orgId, description: "after the change", timezone: "Europe/Berlin" });
    const [latest] = (await owner().audit.list({ orgId: world.orgId, action: "organization.updated", limit: 1 })).items;
    const detail = await owner().audit.get({ orgId: world.orgId, eventId: latest?.id as string });
    expect(detail.action).toBe("organization.updated");
    expect(detail.targetType).toBe("organization");
    const change = (field: string) => detail.changes.find((c) => c.field === field);
    expect(change("description")).toEqual({
      field: "description",
      kind: "changed",
      before: JSON.stringify("before the change"),
      after: JSON.stringify("after the change"),
    });
    expect(change("timezone")?.kind).toBe("changed");
    expect(change("name")?.kind).toBe("unchanged");
    // Only the action's fields were kept: no ids, timestamps or settings.
    expect(detail.changes.map((c) => c.field).sort()).toEqual(
      ["currency", "deletedAt", "description", "logoUrl", "name", "plan", "slug", "status", "timezone"].sort(),
    );

    const { org, owner: o } = await createOrg(testDb.db);
    await write(
      org.id,
      { actor: { type: "user", id: o.user.id }, request: request("d") },
      { action: "team.deleted", targetId: randomUUID(), before: { name: "Gone", deletedSubTeamIds: [] } },
    );
    const caller = createCaller(contextFor(world, { kind: "user", userId: o.user.id }));
    const [deleted] = (await caller.audit.list({ orgId: org.id, limit: 1 })).items;
    const removed = await caller.audit.get({ orgId: org.id, eventId: deleted?.id as string });
    expect(removed.changes).toEqual([
      { field: "deletedSubTeamIds", kind: "removed", before: "[]", after: null },
      { field: "name", kind: "removed", before: '"Gone"', after: null },
    ]);
    // Another organization's event is not found.
    await expect(owner().audit.get({ orgId: world.orgId, eventId: deleted?.id as string })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

/** Runs statements as a superuser with the append-only trigger off, as an intruder with full access would. */
async function tamper(sql: string, params: unknown[]): Promise<void> {
  await admin.query("BEGIN");
  await admin.query("SET LOCAL session_replication_role = replica");
  const result = await admin.query(sql, params);
  await admin.query("COMMIT");
  expect(result.rowCount).toBeGreaterThan(0);
}

describe("audit.verify", () => {
  it("is ok for an intact chain and names the first event a superuser edited", async () => {
    const { org, owner: o } = await createOrg(testDb.db);
    const caller = createCaller(contextFor(world, { kind: "user", userId: o.user.id }));
    for (const name of ["one", "two", "three"]) await caller.organization.update({ orgId: org.id, description: name });
    expect(await caller.audit.verify({ orgId: org.id })).toEqual({
      ok: true,
      events: 3,
      brokenAtSeq: null,
      reason: null,
      startsAfterSeq: null,
    });
    await tamper(`UPDATE audit_events SET after = jsonb_set(after, '{description}', '"edited"') WHERE organization_id = $1 AND seq = 2`, [
      org.id,
    ]);
    expect(await caller.audit.verify({ orgId: org.id })).toMatchObject({ ok: false, brokenAtSeq: "2" });
  });

  it("walks a chain longer than one page", async () => {
    const { org } = await createOrg(testDb.db);
    await insertChain(admin, org.id, 2_345, () => ({ createdAt: new Date() }));
    expect(await verifyAuditChain(testDb.db, org.id, { pageSize: 500 })).toEqual({ ok: true, events: 2_345 });
    await tamper("UPDATE audit_events SET request_id = 'x' WHERE organization_id = $1 AND seq = 1999", [org.id]);
    expect(await verifyAuditChain(testDb.db, org.id, { pageSize: 500 })).toEqual({ ok: false, brokenAtSeq: "1999" });
  });
});

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

describe("retention and purge", () => {
  it("purges events older than the retention, anchors the chain, records itself, and verify starts from the anchor", async () => {
    const { org, owner: o } = await createOrg(testDb.db);
    const caller = createCaller(contextFor(world, { kind: "user", userId: o.user.id }));
    await insertChain(admin, org.id, 10, (i) => ({ createdAt: daysAgo(400 - i) }));
    await insertChain(admin, org.id, 5, (i) => ({ createdAt: daysAgo(100 - i) }));
    await caller.organization.update({ orgId: org.id, description: "recent" });
    expect(await verifyAuditChain(testDb.db, org.id)).toEqual({ ok: true, events: 16 });
    const hash10 = (await admin.query("SELECT hash FROM audit_events WHERE organization_id = $1 AND seq = 10", [org.id])).rows[0].hash;

    // Default retention 365 days: events 1–10 go, even when asked for more.
    const first = await purgeAuditEvents(testDb.db, org.id, new Date(Date.now() + DAY));
    expect(first).toEqual({ purgedCount: 10, throughSeq: "10", lastHash: hash10 });
    const purged = await caller.audit.list({ orgId: org.id, action: "audit.purged", limit: 5 });
    expect(purged.items).toHaveLength(1);
    const purgeEvent = await caller.audit.get({ orgId: org.id, eventId: purged.items[0]?.id as string });
    expect(purgeEvent).toMatchObject({ seq: "17", actorType: "system", actorId: null, targetType: "organization", targetId: org.id });
    expect(purgeEvent.changes.find((c) => c.field === "lastHash")?.after).toBe(JSON.stringify(hash10));
    expect(purgeEvent.changes.find((c) => c.field === "throughSeq")?.after).toBe('"10"');
    expect(await caller.audit.verify({ orgId: org.id })).toEqual({
      ok: true,
      events: 7,
      brokenAtSeq: null,
      reason: null,
      startsAfterSeq: "10",
    });

    // Nothing more is old enough: no purge, no event.
    expect(await purgeAuditEvents(testDb.db, org.id)).toEqual({ purgedCount: 0, throughSeq: null, lastHash: null });

    // A shorter retention (audited), then a purge of what it leaves behind; the chain goes on.
    expect(await caller.audit.setRetention({ orgId: org.id, days: 90 })).toEqual({ auditRetentionDays: 90 });
    expect((await purgeAuditEvents(testDb.db, org.id)).throughSeq).toBe("15");
    await caller.organization.update({ orgId: org.id, description: "after the second purge" });
    expect(await caller.audit.verify({ orgId: org.id })).toEqual({
      ok: true,
      events: 5,
      brokenAtSeq: null,
      reason: null,
      startsAfterSeq: "15",
    });
    const actions = (await caller.audit.list({ orgId: org.id, limit: 50 })).items.map((e) => e.action);
    expect(actions).toEqual(["organization.updated", "audit.purged", "audit.retention_updated", "audit.purged", "organization.updated"]);
    const [retention] = (await caller.audit.list({ orgId: org.id, action: "audit.retention_updated", limit: 1 })).items;
    const detail = await caller.audit.get({ orgId: org.id, eventId: retention?.id as string });
    expect(detail.changes).toEqual([{ field: "auditRetentionDays", kind: "changed", before: "365", after: "90" }]);
  });

  it("continues the chain after a purge that removed every event", async () => {
    const { org } = await createOrg(testDb.db);
    await insertChain(admin, org.id, 3, () => ({ createdAt: daysAgo(500) }));
    expect(await purgeAuditEvents(testDb.db, org.id)).toMatchObject({ purgedCount: 3, throughSeq: "3" });
    await write(org.id, { actor: { type: "system" }, request: request("after") }, { action: "team.created", targetId: randomUUID() });
    expect(await verifyAuditChain(testDb.db, org.id)).toEqual({ ok: true, events: 2, startsAfterSeq: "3" });
  });

  it("reports an anchor the chain does not confirm (events deleted and an anchor forged by a superuser)", async () => {
    const { org } = await createOrg(testDb.db);
    await insertChain(admin, org.id, 6, () => ({ createdAt: daysAgo(10) }));
    const hash3 = (await admin.query("SELECT hash FROM audit_events WHERE organization_id = $1 AND seq = 3", [org.id])).rows[0].hash;
    await tamper("DELETE FROM audit_events WHERE organization_id = $1 AND seq <= 3", [org.id]);
    await tamper("INSERT INTO audit_chain_anchors (organization_id, seq, hash, purged_count, cutoff) VALUES ($1, 3, $2, 3, now())", [
      org.id,
      hash3,
    ]);
    expect(await verifyAuditChain(testDb.db, org.id)).toEqual({ ok: false, brokenAtSeq: "4", reason: "anchor_unconfirmed" });
  });

  it("reports events deleted after a purge at the first event that no longer follows the anchor", async () => {
    const { org } = await createOrg(testDb.db);
    await insertChain(admin, org.id, 4, () => ({ createdAt: daysAgo(400) }));
    await insertChain(admin, org.id, 4, () => ({ createdAt: daysAgo(10) }));
    await purgeAuditEvents(testDb.db, org.id);
    await tamper("DELETE FROM audit_events WHERE organization_id = $1 AND seq = 5", [org.id]);
    expect(await verifyAuditChain(testDb.db, org.id)).toEqual({ ok: false, brokenAtSeq: "6" });
  });

  it("never lets the app role delete, and refuses a retention under 90 days or from an admin", async () => {
    const { org, owner: o, members } = await createOrg(testDb.db, { members: [{ role: "admin" }] });
    await insertChain(admin, org.id, 2, () => ({ createdAt: daysAgo(400) }));
    await expect(testDb.db.withTenant({ orgId: org.id }, (tx) => tx.$executeRaw`DELETE FROM audit_events`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(testDb.db.withTenant({ orgId: org.id }, (tx) => tx.$executeRaw`DELETE FROM audit_chain_anchors`)).rejects.toThrow(
      /permission denied/,
    );
    const ownerCaller = createCaller(contextFor(world, { kind: "user", userId: o.user.id }));
    await expect(ownerCaller.audit.setRetention({ orgId: org.id, days: 89 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const adminCaller = createCaller(contextFor(world, { kind: "user", userId: members[1]?.user.id as string }));
    await expect(adminCaller.audit.setRetention({ orgId: org.id, days: 400 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The database holds the floor too, whoever writes the column.
    await expect(admin.query("UPDATE organizations SET audit_retention_days = 30 WHERE id = $1", [org.id])).rejects.toThrow(/check/);
    expect((await admin.query("SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1", [org.id])).rows[0].n).toBe(2);
  });
});

async function collect(body: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of body) text += chunk;
  return text;
}

const statusOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (e) => (e instanceof AuditExportError ? e.status : 500),
  );

describe("audit export", () => {
  it("checks audit:read as the procedures do: owner, admin and keys with the scope; 403, 404, 401 otherwise; 400 for a bad query", async () => {
    const as = (identity: Identity | null) => contextFor(world, identity);
    const user = (who: keyof World["users"]) => ({ kind: "user" as const, userId: world.users[who].userId });
    const q = new URLSearchParams({ format: "jsonl" });
    expect(await statusOf(openAuditExport(as(user("owner")), world.orgId, q))).toBe(200);
    expect(await statusOf(openAuditExport(as(user("admin")), world.orgId.toUpperCase(), q))).toBe(200);
    expect(await statusOf(openAuditExport(as(user("member")), world.orgId, q))).toBe(403);
    expect(await statusOf(openAuditExport(as(user("viewer")), world.orgId, q))).toBe(403);
    expect(await statusOf(openAuditExport(as(user("nonMember")), world.orgId, q))).toBe(404);
    expect(await statusOf(openAuditExport(as(user("foreignOwner")), world.orgId, q))).toBe(404);
    expect(await statusOf(openAuditExport(as(null), world.orgId, q))).toBe(401);
    expect(await statusOf(openAuditExport(as(await apiKeyIdentity(world, ["audit:read"])), world.orgId, q))).toBe(200);
    expect(await statusOf(openAuditExport(as(await apiKeyIdentity(world, ["org:read", "member:read"])), world.orgId, q))).toBe(403);
    expect(await statusOf(openAuditExport(as(user("owner")), world.orgId, new URLSearchParams({ format: "xml" })))).toBe(400);
    expect(await statusOf(openAuditExport(as(user("owner")), world.orgId, new URLSearchParams({ sneaky: "1" })))).toBe(400);
    expect(await statusOf(openAuditExport(as(user("owner")), "not-a-uuid", q))).toBe(404);
  });

  it("writes CSV a spreadsheet cannot run: formulas get an apostrophe, quotes are doubled", async () => {
    const { org, owner: o } = await createOrg(testDb.db);
    const actor = { type: "user" as const, id: o.user.id };
    await write(
      org.id,
      { actor, request: { requestId: "csv-1", ip: "203.0.113.5", userAgent: '=HYPERLINK("http://evil.example","x")' } },
      { action: "team.created", targetId: "@SUM(1+1)", after: { name: 'Say "hi", then -2+3' } },
    );
    await write(org.id, { actor, request: { requestId: "+cmd", ip: null, userAgent: "-1" } }, { action: "team.moved", targetId: "plain" });
    const exported = await openAuditExport(
      contextFor(world, { kind: "user", userId: o.user.id }),
      org.id,
      new URLSearchParams({ format: "csv" }),
    );
    expect(exported.contentType).toMatch(/^text\/csv/);
    const lines = (await collect(exported.body)).split("\r\n");
    expect(lines[0]).toBe(
      "seq,created_at,actor_type,actor_id,action,target_type,target_id,before,after,ip,user_agent,request_id,prev_hash,hash",
    );
    expect(lines[1]).toContain(`"'@SUM(1+1)"`);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(lines[1]).toContain(`"{""name"":""Say \\""hi\\"", then -2+3""}"`);
    expect(lines[2]).toContain(`"'-1","'+cmd"`);
    expect(lines[3]).toBe("");
    expect(lines).toHaveLength(4);

    const filtered = await openAuditExport(
      contextFor(world, { kind: "user", userId: o.user.id }),
      org.id,
      new URLSearchParams({ format: "jsonl", action: "team.moved" }),
    );
    const rows = (await collect(filtered.body))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows).toEqual([expect.objectContaining({ seq: "2", action: "team.moved", targetId: "plain", userAgent: "-1" })]);
  });
});
