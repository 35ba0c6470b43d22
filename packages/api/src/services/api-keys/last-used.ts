import { type Database, sqlLiteral } from "@aihub/db";

/**
 * Organization keys' last use, kept off the request path. Each process notes a key's use at
 * most once a minute (in memory: no Redis round trip per request) and writes the noted uses
 * shortly after, all of them in one round trip: one UPDATE per organization, each under its
 * tenant's settings, in one implicit transaction. Bookkeeping only: a failed write is logged and
 * lost, never a refusal; with N processes a busy key is written at most N times a minute.
 */
export const LAST_USED_INTERVAL_MS = 60_000;
/** How long uses are gathered before one write (and how late "last used" may show). */
const FLUSH_DELAY_MS = 50;
const MAX_REMEMBERED = 50_000;

interface PendingUse {
  orgId: string;
  at: Date;
}

const remembered = new Map<string, number>();
const pending = new Map<Database, Map<string, PendingUse>>();
let timer: NodeJS.Timeout | null = null;
let inFlight: Promise<void> = Promise.resolve();

function forgetOld(nowMs: number): void {
  if (remembered.size < MAX_REMEMBERED) return;
  for (const [keyId, at] of remembered) if (nowMs - at >= LAST_USED_INTERVAL_MS) remembered.delete(keyId);
  // Still full (a burst of distinct keys): start over; at worst a key is written twice a minute.
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
}

/** A valid use of key `keyId` at `now`: written soon unless this process wrote it in the last minute. */
export function noteLastUsed(db: Database, keyId: string, orgId: string, now: Date): void {
  const nowMs = now.getTime();
  const last = remembered.get(keyId);
  if (last !== undefined && nowMs - last < LAST_USED_INTERVAL_MS && nowMs >= last) return;
  forgetOld(nowMs);
  remembered.set(keyId, nowMs);
  const uses = pending.get(db) ?? new Map<string, PendingUse>();
  pending.set(db, uses);
  uses.set(keyId, { orgId, at: now });
  timer ??= setTimeout(() => void flushLastUsed(), FLUSH_DELAY_MS);
}

async function write(db: Database, uses: Map<string, PendingUse>): Promise<void> {
  // A database closed meanwhile (a process shutting down without flushing, a finished test): nothing to write to.
  if ((db.pool as { ending?: boolean }).ending) return;
  const byOrg = new Map<string, string[]>();
  for (const [keyId, use] of uses) {
    const values = byOrg.get(use.orgId) ?? [];
    values.push(`(${sqlLiteral(keyId)}::uuid, ${sqlLiteral(use.at)}::timestamptz)`);
    byOrg.set(use.orgId, values);
  }
  await db.tenantBatch(
    [...byOrg].map(([orgId, values]) => ({
      ctx: { orgId },
      sql: `UPDATE org_api_keys k SET last_used_at = v.at FROM (VALUES ${values.join(", ")}) AS v(id, at) WHERE k.id = v.id`,
    })),
  );
}

/** Writes every noted use now; resolves once they (and any write already under way) are in. */
export function flushLastUsed(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const batches = [...pending];
  pending.clear();
  const previous = inFlight;
  inFlight = (async () => {
    await previous;
    for (const [db, uses] of batches) {
      try {
        await write(db, uses);
      } catch (error) {
        console.error(JSON.stringify({ level: "warn", path: "api-key.last-used", message: String(error) }));
      }
    }
  })();
  return inFlight;
}
