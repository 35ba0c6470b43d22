import { createHash } from "node:crypto";
import type { Database, TenantTransaction } from "@aihub/db";
import type { Actor, RequestMeta } from "../service-context.js";
import { canonicalJson } from "./canonical-json.js";
import { AUDIT_ACTIONS, type AuditEvent, keptFields } from "./events.js";

export { AUDIT_ACTIONS, type AuditAction, type AuditEvent, keptFields } from "./events.js";

/** Who writes an event and from where: an `OrgServiceContext` is one, or built for the system. */
export interface AuditContext {
  orgId: string;
  actor: Actor;
  request: RequestMeta;
}

/** What the hash covers, in this shape (the chain format: changing it breaks every stored chain). */
export interface ChainedFields {
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

/** The transaction lock that makes an organization's chain linear (the purge function takes the same). */
export const auditLockKey = (orgId: string) => `audit:${orgId.toLowerCase()}`;

/**
 * Appends an event to the organization's trail in the caller's transaction, so it commits or
 * rolls back with the change. A per-org transaction lock makes the chain linear. Only the
 * action's kept fields of before/after are stored.
 */
export async function audit(tx: TenantTransaction, ctx: AuditContext, event: AuditEvent): Promise<void> {
  const orgId = ctx.orgId.toLowerCase();
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${auditLockKey(orgId)}, 0))`;
  const last =
    (await tx.auditEvent.findFirst({ where: { organizationId: orgId }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } })) ??
    // Everything purged: the chain goes on from where the purge left it.
    (await tx.auditChainAnchor.findFirst({
      where: { organizationId: orgId },
      orderBy: { seq: "desc" },
      select: { seq: true, hash: true },
    }));
  const seq = (last?.seq ?? 0n) + 1n;
  const createdAt = new Date();
  const fields: ChainedFields = {
    organizationId: orgId,
    seq: seq.toString(),
    actorType: ctx.actor.type,
    actorId: ctx.actor.id ?? null,
    action: event.action,
    targetType: AUDIT_ACTIONS[event.action].target,
    targetId: event.targetId,
    before: keptFields(event.action, event.before),
    after: keptFields(event.action, event.after),
    ip: ctx.request.ip,
    userAgent: ctx.request.userAgent,
    requestId: ctx.request.requestId,
    createdAt: createdAt.toISOString(),
  };
  await tx.auditEvent.create({
    data: {
      organizationId: orgId,
      seq,
      actorType: ctx.actor.type,
      actorId: fields.actorId,
      action: fields.action,
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

/** A stored event's chained fields, as the verifier recomputes them. */
export function chainedFieldsOf(e: {
  organizationId: string;
  seq: bigint;
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
  createdAt: Date;
}): ChainedFields {
  return {
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
}

export type VerifyResult =
  | { ok: true; events: number; startsAfterSeq?: string }
  | { ok: false; brokenAtSeq: string; reason?: "anchor_unconfirmed" };

const VERIFY_PAGE = 1_000;

/**
 * Walks an organization's chain in pages of 1,000 (one tenant transaction each) and returns the
 * first broken link, or ok. After a purge the chain starts from the newest anchor (the last
 * purged seq and hash), and the chain itself must confirm that anchor: one of its `audit.purged`
 * events names the same seq and hash, so an anchor forged to hide deleted events is reported at
 * the first event after it.
 */
export async function verifyAuditChain(db: Database, orgId: string, options: { pageSize?: number } = {}): Promise<VerifyResult> {
  const tenant = db.forTenant({ orgId });
  const anchor = await tenant.auditChainAnchor.findFirst({ where: { organizationId: orgId }, orderBy: { seq: "desc" } });
  let prev: string | null = anchor?.hash ?? null;
  let expectedSeq = (anchor?.seq ?? 0n) + 1n;
  let anchorConfirmed = anchor === null;
  let events = 0;
  for (;;) {
    const page = await tenant.auditEvent.findMany({
      where: { organizationId: orgId, seq: { gte: expectedSeq } },
      orderBy: { seq: "asc" },
      take: options.pageSize ?? VERIFY_PAGE,
    });
    for (const e of page) {
      if (e.seq !== expectedSeq || e.prevHash !== prev || chainHash(prev, chainedFieldsOf(e)) !== e.hash)
        return { ok: false, brokenAtSeq: e.seq.toString() };
      if (anchor && !anchorConfirmed && e.action === "audit.purged") {
        const after = e.after as { throughSeq?: unknown; lastHash?: unknown } | null;
        anchorConfirmed = after?.throughSeq === anchor.seq.toString() && after?.lastHash === anchor.hash;
      }
      prev = e.hash;
      expectedSeq += 1n;
      events += 1;
    }
    if (page.length < (options.pageSize ?? VERIFY_PAGE)) break;
  }
  if (!anchor) return { ok: true, events };
  if (!anchorConfirmed) return { ok: false, brokenAtSeq: (anchor.seq + 1n).toString(), reason: "anchor_unconfirmed" };
  return { ok: true, events, startsAfterSeq: anchor.seq.toString() };
}
