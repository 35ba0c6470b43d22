import type { Database } from "@aihub/db";
import { DomainError } from "../errors.js";
import type { UsageSubject } from "../services/budgets/path.js";
import { reserve, settle } from "../services/budgets/reservations.js";
import { recordUsage } from "../services/usage/record.js";

/** One call of the budget race: a direct charge, or a hold then a settlement of part of it. Money as decimal strings (JSON). */
export interface SpendJob {
  orgId: string;
  subject: UsageSubject;
  kind: "record" | "reserve";
  amount: string;
  /** For "reserve": what the settlement charges (≤ amount). */
  actual?: string;
}

export interface SpendOutcome {
  kind: SpendJob["kind"];
  ok: boolean;
  /** What was charged (0 on refusal). */
  charged: string;
  usageRecordId: string | null;
  reservationId: string | null;
  refusedScope: string | null;
}

export async function runSpendJob(db: Database, job: SpendJob): Promise<SpendOutcome> {
  const ctx = { db, orgId: job.orgId };
  try {
    if (job.kind === "record") {
      const r = await recordUsage(ctx, { subject: job.subject, charge: { cost: BigInt(job.amount) } });
      return {
        kind: job.kind,
        ok: true,
        charged: r.cost.toString(),
        usageRecordId: r.usageRecordId,
        reservationId: null,
        refusedScope: null,
      };
    }
    const held = await reserve(ctx, { subject: job.subject, charge: { cost: BigInt(job.amount) } });
    const s = await settle(ctx, { reservationId: held.reservationId, charge: { cost: BigInt(job.actual ?? job.amount) } });
    return {
      kind: job.kind,
      ok: true,
      charged: s.cost.toString(),
      usageRecordId: s.usageRecordId,
      reservationId: held.reservationId,
      refusedScope: null,
    };
  } catch (error) {
    if (error instanceof DomainError && error.details.reason === "BUDGET_EXCEEDED") {
      return {
        kind: job.kind,
        ok: false,
        charged: "0",
        usageRecordId: null,
        reservationId: null,
        refusedScope: String(error.details.scope),
      };
    }
    throw error;
  }
}

/**
 * Runs every job with at most `inFlight` at once. The pool makes a caller wait at most 5 s for a
 * connection; more callers than that can serve in 5 s would fail on the wait, not on the budget.
 */
export async function runSpendJobs(db: Database, jobs: SpendJob[], inFlight = 20): Promise<SpendOutcome[]> {
  const outcomes: SpendOutcome[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      outcomes[i] = await runSpendJob(db, jobs[i] as SpendJob);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, jobs.length) }, lane));
  return outcomes;
}
