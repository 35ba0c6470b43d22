import { createHash } from "node:crypto";
import type { Database, TenantTransaction } from "@aihub/db";
import type { Actor, RequestMeta } from "../service-context.js";
import { canonicalJson } from "./canonical-json.js";

/** Every action the audit trail knows; a new mutation adds its name here. */
export type AuditAction =
  | "organization.created"
  | "organization.updated"
  | "organization.deleted"
  | "organization.restored"
  | "organization.ownership_transferred"
  | "member.role_updated"
  | "member.permission_override_set"
  | "member.permission_override_removed"
  | "member.removed"
  | "member.left"
  | "member.joined"
  | "invitation.created"
  | "invitation.revoked"
  | "invitation.resent"
  | "invitation.accepted"
  | "team.created"
  | "team.updated"
  | "team.moved"
  | "team.deleted"
  | "team.member_added"
  | "team.member_removed"
  | "team.member_role_updated";

export interface AuditEventInput {
  orgId: string;
  actor: Actor;
  action: AuditAction;
  target: { type: string; id: string };
  before?: unknown;
  after?: unknown;
  request: RequestMeta;
}

const SECRET_KEY = /pass(word)?|secret|token|hash|api_?key/i;

/** Drops secrets from before/after (any key that names one), at any depth. */
export function redact(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? "[redacted]" : redact(v)]),
    );
  }
  return value;
}

interface ChainedFields {
  organizationId: string;
  seq: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  createdAt: string;
}

export function chainHash(prevHash: string | null, fields: ChainedFields): string {
  return createHash("sha256")
    .update(prevHash ?? "")
    .update("\n")
    .update(canonicalJson(fields))
    .digest("hex");
}

/**
 * Appends an event to the organization's trail in the caller's transaction, so it commits or
 * rolls back with the change. A per-org transaction lock makes the chain linear.
 */
export async function recordAudit(tx: TenantTransaction, event: AuditEventInput): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`audit:${event.orgId.toLowerCase()}`}, 0))`;
  const last = await tx.auditEvent.findFirst({
    where: { organizationId: event.orgId },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  const seq = (last?.seq ?? 0n) + 1n;
  const createdAt = new Date();
  const fields: ChainedFields = {
    organizationId: event.orgId,
    seq: seq.toString(),
    actorType: event.actor.type,
    actorId: event.actor.id ?? null,
    action: event.action,
    targetType: event.target.type,
    targetId: event.target.id,
    before: redact(event.before),
    after: redact(event.after),
    ip: event.request.ip,
    userAgent: event.request.userAgent,
    requestId: event.request.requestId,
    createdAt: createdAt.toISOString(),
  };
  await tx.auditEvent.create({
    data: {
      organizationId: event.orgId,
      seq,
      actorType: event.actor.type,
      actorId: fields.actorId,
      action: event.action,
      targetType: fields.targetType,
      targetId: fields.targetId,
      before: fields.before as object,
      after: fields.after as object,
      ip: fields.ip,
      userAgent: fields.userAgent,
      requestId: fields.requestId,
      createdAt,
      prevHash: last?.hash ?? null,
      hash: chainHash(last?.hash ?? null, fields),
    },
  });
}

/** Walks an organization's chain; returns the first broken link, or ok. */
export async function verifyAuditChain(
  db: Database,
  orgId: string,
): Promise<{ ok: true; events: number } | { ok: false; brokenAtSeq: string }> {
  const events = await db.forTenant({ orgId }).auditEvent.findMany({ where: { organizationId: orgId }, orderBy: { seq: "asc" } });
  let prev: string | null = null;
  let expectedSeq = 1n;
  for (const e of events) {
    const fields: ChainedFields = {
      organizationId: e.organizationId,
      seq: e.seq.toString(),
      actorType: e.actorType,
      actorId: e.actorId,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      before: e.before,
      after: e.after,
      ip: e.ip,
      userAgent: e.userAgent,
      requestId: e.requestId,
      createdAt: e.createdAt.toISOString(),
    };
    if (e.seq !== expectedSeq || e.prevHash !== prev || chainHash(prev, fields) !== e.hash)
      return { ok: false, brokenAtSeq: e.seq.toString() };
    prev = e.hash;
    expectedSeq += 1n;
  }
  return { ok: true, events: events.length };
}
