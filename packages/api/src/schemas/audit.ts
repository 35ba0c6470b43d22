import { z } from "zod";
import { AUDIT_ACTION_NAMES, AUDIT_TARGET_TYPES, type AuditAction, type AuditTargetType } from "../services/audit/events.js";
import { orgInput, page, paging, ZId, ZInstant, ZOutId } from "./common.js";

export const ZAuditAction = z.enum(AUDIT_ACTION_NAMES as [AuditAction, ...AuditAction[]]);
export const ZAuditTargetType = z.enum(AUDIT_TARGET_TYPES as [AuditTargetType, ...AuditTargetType[]]);

/** The shortest retention an organization may choose, and the longest. */
export const AUDIT_RETENTION_MIN_DAYS = 90;
export const AUDIT_RETENTION_MAX_DAYS = 3650;

/**
 * Filters of the audit log, shared by the list and the export: who (an actor id: a user or an
 * API key), what (an action), on what (a target type and/or id), when (`from` inclusive, `to`
 * exclusive).
 */
export const auditFilters = {
  actorId: ZId.optional(),
  action: ZAuditAction.optional(),
  targetType: ZAuditTargetType.optional(),
  targetId: z.string().trim().min(1).max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
};
const fromBeforeTo = (f: { from?: Date; to?: Date }) => !f.from || !f.to || f.from < f.to;
const FROM_BEFORE_TO = { error: "`from` must be before `to`", path: ["to"] };

export const ZListAuditEventsInput = orgInput({ ...auditFilters, ...paging }).refine(fromBeforeTo, FROM_BEFORE_TO);
export const ZGetAuditEventInput = orgInput({ eventId: ZId });
export const ZVerifyAuditChainInput = orgInput({});
export const ZSetAuditRetentionInput = orgInput({
  days: z
    .number()
    .int()
    .min(AUDIT_RETENTION_MIN_DAYS, { error: `At least ${AUDIT_RETENTION_MIN_DAYS} days` })
    .max(AUDIT_RETENTION_MAX_DAYS, { error: `At most ${AUDIT_RETENTION_MAX_DAYS} days` }),
});

/** The export's query string (`?format=csv&action=…`): the list's filters, as text. */
export const ZAuditExportQuery = z
  .strictObject({ format: z.enum(["csv", "jsonl"]).default("csv"), ...auditFilters })
  .refine(fromBeforeTo, FROM_BEFORE_TO);

export type TListAuditEventsInput = z.infer<typeof ZListAuditEventsInput>;
export type TAuditExportQuery = z.infer<typeof ZAuditExportQuery>;
export type TAuditFilters = Pick<TListAuditEventsInput, "actorId" | "action" | "targetType" | "targetId" | "from" | "to">;

export const ZAuditEventOutput = z.object({
  id: ZOutId,
  seq: z.string(),
  actorType: z.enum(["user", "api_key", "system"]),
  actorId: ZOutId.nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  createdAt: ZInstant,
});
export const ZListAuditEventsOutput = page(ZAuditEventOutput);

/**
 * One field of a before/after diff. Values are JSON text (`"\"Acme\""`, `"90"`, `"null"`), so a
 * snapshot's content is shown, never parsed as part of the response's own shape.
 */
export const ZAuditChange = z.object({
  field: z.string(),
  kind: z.enum(["added", "removed", "changed", "unchanged"]),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export const ZGetAuditEventOutput = ZAuditEventOutput.extend({
  prevHash: z.string().nullable(),
  hash: z.string(),
  changes: z.array(ZAuditChange),
});

export const ZVerifyAuditChainOutput = z.object({
  ok: z.boolean(),
  /** Events checked (those after the anchor when the chain was purged). */
  events: z.number().int(),
  /** The first event that does not fit, when not ok. */
  brokenAtSeq: z.string().nullable(),
  /** Set when the purged anchor is not confirmed by an `audit.purged` event of the chain. */
  reason: z.enum(["anchor_unconfirmed"]).nullable(),
  /** The last purged event's seq, when the chain starts after a purge. */
  startsAfterSeq: z.string().nullable(),
});

export const ZSetAuditRetentionOutput = z.object({ auditRetentionDays: z.number().int() });
