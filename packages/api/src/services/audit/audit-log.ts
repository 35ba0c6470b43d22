import type { Database, Prisma } from "@aihub/db";
import { notFound } from "../../errors.js";
import type { TAuditFilters } from "../../schemas/audit.js";
import { pageArgs, pageOf } from "../paging.js";
import type { OrgServiceContext } from "../service-context.js";
import { audit, verifyAuditChain } from "./audit.js";
import { canonicalJson } from "./canonical-json.js";

/** The audit log's read side and its retention: list, detail with a diff, verify, retention, purge. */

/** The Prisma filter of the audit log's filters (shared by the list and the export). */
export function auditWhere(orgId: string, f: TAuditFilters): Prisma.AuditEventWhereInput {
  return {
    organizationId: orgId,
    ...(f.actorId ? { actorId: f.actorId } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.targetType ? { targetType: f.targetType } : {}),
    ...(f.targetId ? { targetId: f.targetId } : {}),
    ...(f.from || f.to ? { createdAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } : {}),
  };
}

const LIST_SELECT = {
  id: true,
  seq: true,
  actorType: true,
  actorId: true,
  action: true,
  targetType: true,
  targetId: true,
  ip: true,
  userAgent: true,
  requestId: true,
  createdAt: true,
} as const;

/** Newest first, keyset-paged by id. */
export async function listAuditEvents(ctx: OrgServiceContext, input: TAuditFilters & { cursor?: string | null; limit: number }) {
  const rows = await ctx.db.forTenant({ orgId: ctx.orgId }).auditEvent.findMany({
    where: auditWhere(ctx.orgId, input),
    orderBy: { seq: "desc" },
    select: LIST_SELECT,
    ...pageArgs(input),
  });
  const { items, nextCursor } = pageOf(rows, input.limit);
  return { items: items.map((e) => ({ ...e, seq: e.seq.toString() })), nextCursor };
}

export interface AuditChange {
  field: string;
  kind: "added" | "removed" | "changed" | "unchanged";
  before: string | null;
  after: string | null;
}

/** Leaves of a snapshot by dotted path; arrays and scalars are leaves. */
function flatten(value: unknown, prefix = "", into = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) into.set(prefix, value);
    for (const [key, child] of entries) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) {
    into.set(prefix, value);
  } else if (value !== null && value !== undefined) {
    into.set("(value)", value);
  }
  return into;
}

/** Field by field: what a before/after pair of snapshots says changed. Values as JSON text. */
export function diffSnapshots(before: unknown, after: unknown): AuditChange[] {
  const b = flatten(before);
  const a = flatten(after);
  const fields = [...new Set([...b.keys(), ...a.keys()])].sort();
  return fields.map((field) => {
    const inBefore = b.has(field);
    const inAfter = a.has(field);
    const beforeText = inBefore ? canonicalJson(b.get(field)) : null;
    const afterText = inAfter ? canonicalJson(a.get(field)) : null;
    const kind = !inBefore ? "added" : !inAfter ? "removed" : beforeText === afterText ? "unchanged" : "changed";
    return { field, kind, before: beforeText, after: afterText };
  });
}

export async function getAuditEvent(ctx: OrgServiceContext, input: { eventId: string }) {
  const event = await ctx.db.forTenant({ orgId: ctx.orgId }).auditEvent.findUnique({ where: { id: input.eventId } });
  if (!event) throw notFound("Audit event");
  return { ...event, seq: event.seq.toString(), changes: diffSnapshots(event.before, event.after) };
}

export async function verifyAuditLog(ctx: OrgServiceContext) {
  const result = await verifyAuditChain(ctx.db, ctx.orgId);
  return result.ok
    ? { ok: true, events: result.events, brokenAtSeq: null, reason: null, startsAfterSeq: result.startsAfterSeq ?? null }
    : { ok: false, events: 0, brokenAtSeq: result.brokenAtSeq, reason: result.reason ?? null, startsAfterSeq: null };
}

/** Sets how long the organization's audit events are kept (the database holds it to 90–3650 days). */
export async function setAuditRetention(ctx: OrgServiceContext, input: { days: number }) {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const before = await tx.organization.findUnique({ where: { id: ctx.orgId }, select: { auditRetentionDays: true } });
    if (!before) throw notFound("Organization");
    const after = await tx.organization.update({
      where: { id: ctx.orgId },
      data: { auditRetentionDays: input.days },
      select: { auditRetentionDays: true },
    });
    await audit(tx, ctx, { action: "audit.retention_updated", targetId: ctx.orgId, before, after });
    return after;
  });
}

export interface PurgeResult {
  purgedCount: number;
  /** The last purged event (where the chain now starts), or null when nothing was old enough. */
  throughSeq: string | null;
  lastHash: string | null;
}

/**
 * Deletes the organization's audit events older than its retention (and than `before`) through
 * the database's purge_audit_events function, which runs as the owner role, anchors the chain
 * at the last purged event and appends an `audit.purged` event saying so. Safe to run at any
 * time, by a job or a test: it never deletes inside the retention.
 */
export async function purgeAuditEvents(db: Database, orgId: string, before: Date = new Date()): Promise<PurgeResult> {
  const rows = await db.withTenant(
    { orgId },
    (tx) =>
      tx.$queryRaw<{ purged_count: bigint; through_seq: bigint | null; last_hash: string | null }[]>`
      SELECT purged_count, through_seq, last_hash FROM purge_audit_events(${orgId}::uuid, ${before}::timestamptz)`,
  );
  const row = rows[0];
  return {
    purgedCount: Number(row?.purged_count ?? 0),
    throughSeq: row?.through_seq == null ? null : row.through_seq.toString(),
    lastHash: row?.last_hash ?? null,
  };
}
