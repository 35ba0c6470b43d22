import { createHash } from "node:crypto";
import type { Inspector } from "./inspector.js";

/**
 * Canonical JSON as the spec defines it (keys sorted at every depth), written here rather
 * than imported, so a change to the product's version cannot also change what it is checked
 * against.
 */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

interface AuditRow {
  organization_id: string;
  seq: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  created_at: Date;
  prev_hash: string | null;
  hash: string;
}

/**
 * Walks an organization's audit trail as stored, independently of `verifyAuditChain`: seq runs
 * 1, 2, 3…, each row names the previous row's hash, and each hash is SHA-256 of the previous
 * hash, a newline and the canonical JSON of the event (docs/authorization.md, "Audit trail").
 * Returns the problems found (empty when the chain holds).
 */
export async function auditChainProblems(inspector: Inspector, orgId: string): Promise<string[]> {
  const rows = await inspector.rows<AuditRow>(
    `SELECT organization_id, seq::text AS seq, actor_type::text AS actor_type, actor_id, action, target_type, target_id, before, after,
            ip, user_agent, request_id, created_at, prev_hash, hash
       FROM audit_events WHERE organization_id = $1 ORDER BY audit_events.seq`,
    [orgId],
  );
  const problems: string[] = [];
  let previous: string | null = null;
  rows.forEach((row, index) => {
    if (row.seq !== String(index + 1)) problems.push(`row ${index + 1} has seq ${row.seq}`);
    if (row.prev_hash !== previous) problems.push(`seq ${row.seq} names prev_hash ${row.prev_hash}, the previous hash is ${previous}`);
    const fields = {
      organizationId: row.organization_id,
      seq: row.seq,
      actorType: row.actor_type,
      actorId: row.actor_id,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      before: row.before,
      after: row.after,
      ip: row.ip,
      userAgent: row.user_agent,
      requestId: row.request_id,
      createdAt: row.created_at.toISOString(),
    };
    const expected = createHash("sha256")
      .update(previous ?? "")
      .update("\n")
      .update(canonical(fields))
      .digest("hex");
    if (row.hash !== expected) problems.push(`seq ${row.seq} (${row.action}) has hash ${row.hash}, expected ${expected}`);
    previous = row.hash;
  });
  return problems;
}
