import type { z } from "zod";
import type { Context } from "../../context.js";
import { DomainError } from "../../errors.js";
import { decide } from "../../rbac/access.js";
import type { Permission } from "../../rbac/permissions.js";
import { type TAuditExportQuery, type TAuditFilters, ZAuditExportQuery } from "../../schemas/audit.js";
import { ZId } from "../../schemas/common.js";
import { resolveOrgAccess } from "../access/org-access.js";
import type { OrgServiceContext } from "../service-context.js";
import { auditWhere } from "./audit-log.js";
import { canonicalJson } from "./canonical-json.js";

/**
 * The audit export: CSV or JSON lines, streamed. One async generator reads keyset pages of
 * 1,000 events (each page its own short tenant transaction, ordered by seq) and yields each
 * page as one chunk of text, so an export of any size holds one page at a time; the route
 * handlers (gateway and console) only copy the chunks to the response, with backpressure.
 */

export const EXPORT_PAGE_SIZE = 1_000;

const EXPORT_SELECT = {
  seq: true,
  createdAt: true,
  actorType: true,
  actorId: true,
  action: true,
  targetType: true,
  targetId: true,
  before: true,
  after: true,
  ip: true,
  userAgent: true,
  requestId: true,
  prevHash: true,
  hash: true,
} as const;

const COLUMNS = [
  "seq",
  "created_at",
  "actor_type",
  "actor_id",
  "action",
  "target_type",
  "target_id",
  "before",
  "after",
  "ip",
  "user_agent",
  "request_id",
  "prev_hash",
  "hash",
] as const;

type ExportRow = {
  seq: bigint;
  createdAt: Date;
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
  prevHash: string | null;
  hash: string;
};

/** Starts that a spreadsheet reads as a formula (and tab/CR, which some read past). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: text that a spreadsheet would run as a formula gets a leading apostrophe
 * (OWASP's advice for CSV injection), then every cell is quoted with inner quotes doubled.
 */
export function csvCell(value: string | null): string {
  if (value === null) return "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

// Snapshots as canonical JSON (sorted keys), the form the chain hashes: the same event always exports the same.
const jsonOrNull = (value: unknown) => (value === null || value === undefined ? null : canonicalJson(value));

function csvLine(e: ExportRow): string {
  return [
    e.seq.toString(),
    e.createdAt.toISOString(),
    e.actorType,
    e.actorId,
    e.action,
    e.targetType,
    e.targetId,
    jsonOrNull(e.before),
    jsonOrNull(e.after),
    e.ip,
    e.userAgent,
    e.requestId,
    e.prevHash,
    e.hash,
  ]
    .map(csvCell)
    .join(",");
}

function jsonLine(e: ExportRow): string {
  return JSON.stringify({
    seq: e.seq.toString(),
    createdAt: e.createdAt.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    before: e.before ?? null,
    after: e.after ?? null,
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
    prevHash: e.prevHash,
    hash: e.hash,
  });
}

/**
 * The export's text, chunk by chunk: a header line (CSV), then one chunk per page of events in
 * chain order, each line ending in CRLF (CSV, RFC 4180) or LF (JSON lines).
 */
export async function* exportAuditEvents(
  ctx: Pick<OrgServiceContext, "db" | "orgId">,
  input: TAuditFilters & { format: "csv" | "jsonl"; pageSize?: number },
): AsyncGenerator<string> {
  const tenant = ctx.db.forTenant({ orgId: ctx.orgId });
  const where = auditWhere(ctx.orgId, input);
  const take = input.pageSize ?? EXPORT_PAGE_SIZE;
  const line = input.format === "csv" ? csvLine : jsonLine;
  const eol = input.format === "csv" ? "\r\n" : "\n";
  if (input.format === "csv") yield COLUMNS.join(",") + eol;
  let after: bigint | null = null;
  for (;;) {
    const page: ExportRow[] = await tenant.auditEvent.findMany({
      where: after === null ? where : { AND: [where, { seq: { gt: after } }] },
      orderBy: { seq: "asc" },
      select: EXPORT_SELECT,
      take,
    });
    if (page.length === 0) return;
    let chunk = "";
    for (const e of page) chunk += line(e) + eol;
    yield chunk;
    if (page.length < take) return;
    after = (page.at(-1) as ExportRow).seq;
  }
}

/** What a route handler sends: its status, headers and the body's chunks. */
export interface AuditExportResponse {
  filename: string;
  contentType: string;
  body: AsyncGenerator<string>;
}

/** An export refused: the status and the JSON body a route handler answers with. */
export class AuditExportError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
  body(requestId: string) {
    return { error: { code: this.code, message: this.message, requestId, ...(this.fieldErrors ? { fieldErrors: this.fieldErrors } : {}) } };
  }
}

const STATUS: Record<string, number> = { UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_REQUEST: 400 };

/**
 * Checks the caller holds `permission` in the organization named by the route — the same
 * resolution and decision as a procedure declaring it (a member's role and overrides, or an API
 * key's scopes; NOT_FOUND for a non-member or another org's key) — and parses the query.
 * Throws an `AuditExportError` with the HTTP status otherwise. Shared by every export route.
 */
export async function authorizeExport<Q>(
  ctx: Context,
  orgIdParam: string,
  permission: Permission,
  schema: z.ZodType<Q>,
  query: URLSearchParams,
): Promise<{ service: OrgServiceContext; input: Q }> {
  try {
    const identity = ctx.identity;
    if (!identity) throw new DomainError("UNAUTHORIZED", "Sign in or present an API key");
    const orgId = ZId.safeParse(orgIdParam);
    if (!orgId.success) throw new DomainError("NOT_FOUND", "Organization not found");
    const service = await resolveOrgAccess({ ...ctx, identity }, orgId.data);
    if (!service) throw new DomainError("NOT_FOUND", "Organization not found");
    if (!decide(service.access, permission).allowed) throw new DomainError("FORBIDDEN", `Missing permission ${permission}`);
    const parsed = schema.safeParse(Object.fromEntries(query));
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.map(String).join(".");
        fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
      }
      throw new AuditExportError(400, "BAD_REQUEST", "Invalid export query", fieldErrors);
    }
    return { service, input: parsed.data };
  } catch (error) {
    throw toExportError(error);
  }
}

/** A refusal of the services as the export routes answer it (a status and a JSON body); anything else unchanged. */
export function toExportError(error: unknown): unknown {
  return error instanceof DomainError ? new AuditExportError(STATUS[error.code] ?? 400, error.code, error.message) : error;
}

/** A timestamp for export file names (no colons: some file systems refuse them). */
export const exportStamp = () => new Date().toISOString().replaceAll(":", "-").slice(0, 19);

/** The audit log's export for a caller with audit:read (see `authorizeExport`). */
export async function openAuditExport(ctx: Context, orgIdParam: string, query: URLSearchParams): Promise<AuditExportResponse> {
  const { service, input } = await authorizeExport<TAuditExportQuery>(ctx, orgIdParam, "audit:read", ZAuditExportQuery, query);
  return {
    filename: `audit-${service.orgId}-${exportStamp()}.${input.format}`,
    contentType: input.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    body: exportAuditEvents(service, input),
  };
}

/** The headers of a streamed export (no caching: it is one organization's private log). */
export function auditExportHeaders(exported: AuditExportResponse, requestId: string): Record<string, string> {
  return {
    "content-type": exported.contentType,
    "content-disposition": `attachment; filename="${exported.filename}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-request-id": requestId,
  };
}
