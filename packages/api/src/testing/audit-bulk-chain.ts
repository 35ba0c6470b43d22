import { randomUUID } from "node:crypto";
import type pg from "pg";
import { type ChainedFields, chainHash } from "../services/audit/audit.js";

/** One event of a precomputed chain: what differs between events; the rest is filled in. */
export interface ChainEventSpec {
  createdAt: Date;
  action?: string;
  actorId?: string | null;
  targetId?: string;
  after?: Record<string, unknown> | null;
}

/**
 * Appends events to an organization's chain straight into the table, as a superuser and in
 * batches of multi-row INSERTs, with every hash computed here exactly as the product computes
 * it: for tests that need old events (retention) or many of them (export). Continues the
 * chain from its current last event. Returns the last seq written.
 */
export async function insertChain(
  admin: pg.Client,
  orgId: string,
  count: number,
  spec: (index: number) => ChainEventSpec,
  batchSize = 2_000,
): Promise<bigint> {
  const { rows } = await admin.query<{ seq: string; hash: string }>(
    "SELECT seq::text, hash FROM audit_events WHERE organization_id = $1 ORDER BY audit_events.seq DESC LIMIT 1",
    [orgId],
  );
  let seq = BigInt(rows[0]?.seq ?? "0");
  let prev: string | null = rows[0]?.hash ?? null;
  for (let start = 0; start < count; start += batchSize) {
    const cols: unknown[][] = Array.from({ length: 11 }, () => []);
    for (let i = start; i < Math.min(count, start + batchSize); i++) {
      const e = spec(i);
      seq += 1n;
      const fields: ChainedFields = {
        organizationId: orgId,
        seq: seq.toString(),
        actorType: e.actorId === null ? "system" : "user",
        actorId: e.actorId === undefined ? orgId : e.actorId,
        action: e.action ?? "team.updated",
        targetType: "team",
        targetId: e.targetId ?? randomUUID(),
        before: null,
        after: e.after === undefined ? { name: `Team ${i}` } : e.after,
        ip: "198.51.100.1",
        userAgent: "bulk",
        requestId: `bulk-${i}`,
        createdAt: e.createdAt.toISOString(),
      };
      const hash = chainHash(prev, fields);
      const values = [
        seq.toString(),
        fields.actorType,
        fields.actorId,
        fields.action,
        fields.targetId,
        fields.after === null ? null : JSON.stringify(fields.after),
        fields.requestId,
        fields.createdAt,
        prev,
        hash,
        fields.targetType,
      ];
      for (const [k, v] of values.entries()) cols[k]?.push(v);
      prev = hash;
    }
    await admin.query(
      `INSERT INTO audit_events (organization_id, seq, actor_type, actor_id, action, target_id, after, request_id, created_at,
                                 prev_hash, hash, target_type, ip, user_agent)
       SELECT $1::uuid, s, t::actor_type, a, act, tid, aft::jsonb, rid, c, p, h, tt, '198.51.100.1', 'bulk'
         FROM unnest($2::bigint[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[],
                     $10::text[], $11::text[], $12::text[]) AS u(s, t, a, act, tid, aft, rid, c, p, h, tt)`,
      [orgId, ...cols],
    );
  }
  return seq;
}
