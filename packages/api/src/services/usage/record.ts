import { createHash, randomUUID } from "node:crypto";
import { DomainError } from "../../errors.js";
import { nowOf, SPEND_TX, type SpendContext } from "../budgets/context.js";
import { applyToCounters, ensureCounters, recordCrossedThresholds } from "../budgets/counters.js";
import { budgetExceeded, resolvePath, type UsageSubject } from "../budgets/path.js";
import { budgetPeriod } from "../budgets/period.js";
import { type ChargeInput, priceCharge } from "./pricing.js";

export interface RecordInput {
  subject: UsageSubject;
  charge: ChargeInput;
  /** Makes a retried call count once: per organization, the same key and request answer the first result. */
  idempotencyKey?: string | null;
  metadata?: Record<string, unknown>;
}

export interface RecordResult {
  usageRecordId: string;
  cost: bigint;
  occurredAt: Date;
  /** True when this answer is the first call's (same key, same request): nothing was charged again. */
  replayed: boolean;
}

/** A stable digest of what the request asks for (bigints as decimal strings, keys sorted). */
export function requestFingerprint(input: RecordInput): string {
  const canonical = (value: unknown): unknown => {
    if (typeof value === "bigint") return value.toString();
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined && v !== null)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, v]) => [k, canonical(v)]),
      );
    }
    return value;
  };
  const body = canonical({ subject: input.subject, charge: input.charge, metadata: input.metadata ?? {} });
  return createHash("sha256").update(JSON.stringify(body)).digest("hex");
}

/**
 * Charges a call directly (no reservation) on every budget of its path, all or none, and
 * writes its usage record in the same transaction. With an idempotency key, the key is
 * claimed first in its own unpartitioned table (unique per organization): a concurrent retry
 * waits for the first call's transaction, then finds its result; a refused call frees the key.
 */
export async function recordUsage(ctx: SpendContext, input: RecordInput): Promise<RecordResult> {
  const now = nowOf(ctx);
  const key = input.idempotencyKey ?? null;
  if (key !== null && (key.length < 1 || key.length > 200)) {
    throw new DomainError("BAD_REQUEST", "An idempotency key has 1 to 200 characters", { field: "idempotencyKey", reason: "OUT_OF_RANGE" });
  }
  const fingerprint = key ? requestFingerprint(input) : null;
  return ctx.db.withTenant(
    { orgId: ctx.orgId },
    async (tx) => {
      const path = await resolvePath(tx, ctx.orgId, input.subject);
      const priced = await priceCharge(tx, ctx.orgId, path.currency, input.charge, now);
      const usageRecordId = randomUUID();
      if (key) {
        const claimed = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO usage_idempotency (organization_id, idempotency_key, fingerprint, usage_record_id, occurred_at, cost)
          VALUES (${ctx.orgId}::uuid, ${key}, ${fingerprint}, ${usageRecordId}::uuid, ${now}, ${priced.cost})
          ON CONFLICT (organization_id, idempotency_key) DO NOTHING
          RETURNING id`;
        if (claimed.length === 0) {
          const [first] = await tx.$queryRaw<{ fingerprint: string; usage_record_id: string; occurred_at: Date; cost: bigint }[]>`
            SELECT fingerprint, usage_record_id, occurred_at, cost FROM usage_idempotency
             WHERE organization_id = ${ctx.orgId}::uuid AND idempotency_key = ${key}`;
          if (!first) throw new DomainError("CONFLICT", "Retry this call", { reason: "IDEMPOTENCY_IN_PROGRESS" });
          if (first.fingerprint !== fingerprint) {
            throw new DomainError("CONFLICT", "This idempotency key was used for another request", {
              reason: "IDEMPOTENCY_KEY_REUSED",
              field: "idempotencyKey",
            });
          }
          return { usageRecordId: first.usage_record_id, cost: first.cost, occurredAt: first.occurred_at, replayed: true };
        }
      }
      const period = budgetPeriod(now, path.calendar);
      await ensureCounters(tx, ctx.orgId, path.budgetIds, period);
      const result = await applyToCounters(tx, ctx.orgId, path.budgetIds, period, 0n, priced.cost);
      if (!result.applied) throw budgetExceeded(result.rows, priced.cost);
      if (priced.cost > 0n) await recordCrossedThresholds(tx, ctx.orgId, path.budgetIds, period);
      await tx.$executeRaw`
        INSERT INTO usage_records (id, organization_id, occurred_at, period_start, team_id, member_id, api_key_id,
                                   model, input_tokens, output_tokens, cost, currency, idempotency_key, metadata)
        VALUES (${usageRecordId}::uuid, ${ctx.orgId}::uuid, ${now}, ${period}::date, ${path.teamId}::uuid, ${path.memberId}::uuid,
                ${path.apiKeyId}::uuid, ${priced.model}, ${priced.inputTokens}, ${priced.outputTokens}, ${priced.cost},
                ${path.currency}, ${key}, ${JSON.stringify(input.metadata ?? {})}::jsonb)`;
      return { usageRecordId, cost: priced.cost, occurredAt: now, replayed: false };
    },
    SPEND_TX,
  );
}

/** Creates the monthly partitions of usage_records for `months` months from `from` (the jobs call it ahead of time). */
export async function ensureUsagePartitions(ctx: Pick<SpendContext, "db">, from: Date, months: number): Promise<number> {
  const [row] = await ctx.db.prisma.$queryRaw<{ created: number }[]>`
    SELECT usage_records_ensure_partitions(${from.toISOString().slice(0, 10)}::date, ${months}::int) AS created`;
  return row?.created ?? 0;
}
