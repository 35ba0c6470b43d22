import { randomUUID } from "node:crypto";
import type { TenantTransaction } from "@aihub/db";
import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit, chainHash, verifyAuditChain } from "./audit.js";

/**
 * The audit chain makes tampering visible: whatever a superuser changes in a stored event
 * (every column of audit_events, read from the catalog so a new column is covered), removes, or
 * reorders, the verifier reports the chain broken at the first event that no longer fits.
 */
let testDb: TestDatabase;
let admin: pg.Client;

interface EventSpec {
  orgId: string;
  actorUserId: string | null;
  targetId: string;
  before: { role: string } | null;
  after: { role: string } | null;
  request: { requestId: string; ip: string | null; userAgent: string | null };
}

/** Writes a member.role_updated event through the service's writer. */
function writeEvent(tx: TenantTransaction, e: EventSpec): Promise<void> {
  const actor = e.actorUserId ? { type: "user" as const, id: e.actorUserId } : { type: "system" as const };
  return audit(
    tx,
    { orgId: e.orgId, actor, request: e.request },
    { action: "member.role_updated", targetId: e.targetId, before: e.before, after: e.after },
  );
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await testDb.drop();
});

/** An organization with a verified chain of three events (seq 1, 2, 3), every field filled. */
async function orgWithChain(): Promise<string> {
  const { org, owner } = await createOrg(testDb.db);
  const roles = ["viewer", "member", "admin", "viewer"];
  for (let i = 0; i < 3; i++) {
    await testDb.db.withTenant({ orgId: org.id }, (tx) =>
      writeEvent(tx, {
        orgId: org.id,
        actorUserId: owner.user.id,
        targetId: `target-${i}`,
        before: { role: roles[i] as string },
        after: { role: roles[i + 1] as string },
        request: { requestId: `req-${i}`, ip: "203.0.113.7", userAgent: "audit-chain-test" },
      }),
    );
  }
  expect(await verifyAuditChain(testDb.db, org.id)).toEqual({ ok: true, events: 3 });
  const stored = await testDb.db.forTenant({ orgId: org.id }).auditEvent.findMany({ orderBy: { seq: "asc" } });
  expect(stored.map((e) => e.seq)).toEqual([1n, 2n, 3n]);
  expect(stored[1]).toMatchObject({
    organizationId: org.id,
    actorType: "user",
    actorId: owner.user.id,
    action: "member.role_updated",
    targetType: "member",
    targetId: "target-1",
    before: { role: "member" },
    after: { role: "admin" },
    ip: "203.0.113.7",
    userAgent: "audit-chain-test",
    requestId: "req-1",
    prevHash: stored[0]?.hash,
  });
  return org.id;
}

/**
 * Runs statements as the superuser with triggers off (`session_replication_role = replica`
 * skips the append-only trigger), as someone with full access to the database would.
 */
async function tamper(statements: [string, unknown[]][]): Promise<void> {
  await admin.query("BEGIN");
  try {
    await admin.query("SET LOCAL session_replication_role = replica");
    for (const [sql, params] of statements) {
      const result = await admin.query(sql, params);
      expect(result.rowCount, sql).toBeGreaterThan(0);
    }
    await admin.query("COMMIT");
  } catch (error) {
    await admin.query("ROLLBACK");
    throw error;
  }
}

interface Column {
  name: string;
  dataType: string;
  udtName: string;
}

async function auditColumns(): Promise<Column[]> {
  const { rows } = await admin.query<Column>(
    `SELECT column_name AS name, data_type AS "dataType", udt_name AS "udtName"
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = 'audit_events'
      ORDER BY ordinal_position`,
  );
  return rows;
}

/**
 * Columns whose change the chain does not show, each with the reason. Anything else stored in
 * an event is part of what it proves.
 */
const NOT_CHAINED: Record<string, string> = {
  id: "a surrogate key: the chain proves the content and order of events, which the id is not part of",
};

/** A SQL expression giving a different value of the column, by its type. */
function changedValue(column: Column): string {
  const c = `"${column.name}"`;
  switch (column.dataType) {
    case "text":
    case "character varying":
      return `COALESCE(${c} || '~', 'tampered')`;
    case "uuid":
      return "gen_random_uuid()";
    case "jsonb":
    case "json":
      return `'{"tampered": true}'::${column.dataType}`;
    case "timestamp with time zone":
    case "timestamp without time zone":
      return `${c} + interval '1 second'`;
    case "bigint":
    case "integer":
      return `${c} + 100`;
    case "USER-DEFINED":
      return `(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = '${column.udtName}'::regtype AND e.enumlabel <> ${c}::text ORDER BY e.enumsortorder LIMIT 1)::${column.udtName}`;
    default:
      throw new Error(`no way to tamper with audit_events.${column.name} (${column.dataType}): teach this test one`);
  }
}

describe("audit chain verification", () => {
  it("knows every column of audit_events, and the exceptions are real columns", async () => {
    const columns = await auditColumns();
    const names = columns.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["organization_id", "seq", "hash", "prev_hash", "before", "after", "created_at"]));
    for (const column of columns) expect(() => changedValue(column)).not.toThrow();
    for (const name of Object.keys(NOT_CHAINED)) expect(names).toContain(name);
  });

  it("reports a change to any stored field of an event at that event", async () => {
    const columns = (await auditColumns()).filter((c) => !(c.name in NOT_CHAINED));
    expect(columns.length).toBeGreaterThan(10);
    const missed: string[] = [];
    for (const column of columns) {
      const orgId = await orgWithChain();
      await tamper([
        [`UPDATE audit_events SET "${column.name}" = ${changedValue(column)} WHERE organization_id = $1 AND seq = 2`, [orgId]],
      ]);
      const result = await verifyAuditChain(testDb.db, orgId);
      // A changed number or organization takes event 2 out of its place: the chain then breaks
      // at the event that follows the gap. Everything else breaks at event 2 itself.
      const expected = column.name === "seq" || column.name === "organization_id" ? "3" : "2";
      if (JSON.stringify(result) !== JSON.stringify({ ok: false, brokenAtSeq: expected })) {
        missed.push(`${column.name}: ${JSON.stringify(result)}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it("reports an event moved into another organization in that organization's chain too", async () => {
    const orgId = await orgWithChain();
    const elsewhere = randomUUID();
    await tamper([["UPDATE audit_events SET organization_id = $2 WHERE organization_id = $1 AND seq = 1", [orgId, elsewhere]]]);
    // The moved event still names its first organization in its hash.
    expect(await verifyAuditChain(testDb.db, elsewhere)).toEqual({ ok: false, brokenAtSeq: "1" });
    expect(await verifyAuditChain(testDb.db, orgId)).toEqual({ ok: false, brokenAtSeq: "2" });
  });

  it("reports an event whose hash was recomputed to fit its new content at the next event", async () => {
    const orgId = await orgWithChain();
    const event = await testDb.db.forTenant({ orgId }).auditEvent.findFirstOrThrow({ where: { seq: 2n } });
    // The forger changes the action and rewrites event 2's hash so that it verifies by itself.
    const forged = chainHash(event.prevHash, {
      organizationId: event.organizationId,
      seq: event.seq.toString(),
      actorType: event.actorType,
      actorId: event.actorId,
      action: "team.deleted",
      targetType: event.targetType,
      targetId: event.targetId,
      before: event.before,
      after: event.after,
      ip: event.ip,
      userAgent: event.userAgent,
      requestId: event.requestId,
      createdAt: event.createdAt.toISOString(),
    });
    await tamper([["UPDATE audit_events SET action = 'team.deleted', hash = $2 WHERE organization_id = $1 AND seq = 2", [orgId, forged]]]);
    expect(await verifyAuditChain(testDb.db, orgId)).toEqual({ ok: false, brokenAtSeq: "3" });
  });

  it.each([1, 2])("reports an event removed from the chain (seq %i) at the event after it", async (seq) => {
    const orgId = await orgWithChain();
    await tamper([["DELETE FROM audit_events WHERE organization_id = $1 AND seq = $2", [orgId, seq]]]);
    expect(await verifyAuditChain(testDb.db, orgId)).toEqual({ ok: false, brokenAtSeq: String(seq + 1) });
  });

  it.each([
    [1, 2],
    [2, 3],
    [1, 3],
  ])("reports a reordered pair (seq %i and %i swapped) at the first of them", async (x, y) => {
    const orgId = await orgWithChain();
    await tamper([
      ["UPDATE audit_events SET seq = -1 WHERE organization_id = $1 AND seq = $2", [orgId, x]],
      ["UPDATE audit_events SET seq = $3 WHERE organization_id = $1 AND seq = $2", [orgId, y, x]],
      ["UPDATE audit_events SET seq = $2 WHERE organization_id = $1 AND seq = -1", [orgId, y]],
    ]);
    expect(await verifyAuditChain(testDb.db, orgId)).toEqual({ ok: false, brokenAtSeq: String(x) });
  });

  it("reports a renumbered last event even when its hash was recomputed to match", async () => {
    const orgId = await orgWithChain();
    const event = await testDb.db.forTenant({ orgId }).auditEvent.findFirstOrThrow({ where: { seq: 3n } });
    const forged = chainHash(event.prevHash, {
      organizationId: event.organizationId,
      seq: "7",
      actorType: event.actorType,
      actorId: event.actorId,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      before: event.before,
      after: event.after,
      ip: event.ip,
      userAgent: event.userAgent,
      requestId: event.requestId,
      createdAt: event.createdAt.toISOString(),
    });
    await tamper([["UPDATE audit_events SET seq = 7, hash = $2 WHERE organization_id = $1 AND seq = 3", [orgId, forged]]]);
    expect(await verifyAuditChain(testDb.db, orgId)).toEqual({ ok: false, brokenAtSeq: "7" });
  });

  it("still verifies in seq order after a change outside the chain moved a row on disk", async () => {
    // Updating the first event's id (not chained, see NOT_CHAINED) rewrites its row at the end of
    // the table: the verifier must follow seq, not the order rows happen to be stored in.
    const orgId = await orgWithChain();
    await tamper([["UPDATE audit_events SET id = gen_random_uuid() WHERE organization_id = $1 AND seq = 1", [orgId]]]);
    expect(await verifyAuditChain(testDb.db, orgId)).toEqual({ ok: true, events: 3 });
  });

  it("verifies page by page: pages of one or two events give the same answers as one page", async () => {
    const orgId = await orgWithChain();
    for (const pageSize of [1, 2, 3])
      expect(await verifyAuditChain(testDb.db, orgId, { pageSize }), `page ${pageSize}`).toEqual({ ok: true, events: 3 });
    await tamper([["UPDATE audit_events SET action = 'team.deleted' WHERE organization_id = $1 AND seq = 3", [orgId]]]);
    for (const pageSize of [1, 2, 3])
      expect(await verifyAuditChain(testDb.db, orgId, { pageSize }), `page ${pageSize}`).toEqual({ ok: false, brokenAtSeq: "3" });
  });

  it("keeps one linear chain when events of one organization are recorded concurrently", async () => {
    const { org } = await createOrg(testDb.db);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        testDb.db.withTenant({ orgId: org.id }, (tx) =>
          writeEvent(tx, {
            orgId: org.id,
            actorUserId: null,
            targetId: `t${i}`,
            before: null,
            after: { role: "admin" },
            request: { requestId: `r${i}`, ip: null, userAgent: null },
          }),
        ),
      ),
    );
    expect(await verifyAuditChain(testDb.db, org.id)).toEqual({ ok: true, events: 8 });
  });

  it("reports a chain renumbered after a removal (gapless again, links broken)", async () => {
    const orgId = await orgWithChain();
    await tamper([
      ["DELETE FROM audit_events WHERE organization_id = $1 AND seq = 2", [orgId]],
      ["UPDATE audit_events SET seq = 2 WHERE organization_id = $1 AND seq = 3", [orgId]],
    ]);
    expect(await verifyAuditChain(testDb.db, orgId)).toEqual({ ok: false, brokenAtSeq: "2" });
  });
});
