import { z } from "zod";
import { orgInput, ZId, ZInstant, ZOutId } from "./common.js";

/**
 * Money on the wire: an exact decimal string of micro-units of the organization's currency
 * (1.00 = "1000000"), never a float; at most 18 digits so it fits a bigint.
 */
export const ZMoney = z.string().regex(/^(0|[1-9]\d{0,17})$/, { error: 'Micro-units as a decimal string, e.g. "1500000" for 1.50' });
export const ZOutMoney = z.string();
const ZTokens = z.number().int().min(0).max(1_000_000_000_000);

export const ZBudgetScope = z.enum(["organization", "team", "member", "api_key"]);

/** A budget's target: `scopeId` is required for team, member and API-key budgets (the organization's is itself). */
const scopeFields = { scope: ZBudgetScope, scopeId: ZId.nullish() };

export const ZSetBudgetInput = orgInput({
  ...scopeFields,
  periodLimit: ZMoney,
  hardLimit: z.boolean().default(true),
  alertThresholds: z.array(z.number().int().min(1).max(1000)).max(10).default([50, 80, 100]),
  status: z.enum(["active", "disabled"]).default("active"),
  /** A team, member or key budget above the one it sits under is refused unless this says it is meant. */
  allowAboveParent: z.boolean().default(false),
});
export type TSetBudgetInput = z.infer<typeof ZSetBudgetInput>;

export const ZGetBudgetInput = orgInput(scopeFields);
export type TGetBudgetInput = z.infer<typeof ZGetBudgetInput>;
export const ZListBudgetsInput = orgInput({ scope: ZBudgetScope.optional() });

export const ZBudgetOutput = z.object({
  id: ZOutId,
  scope: ZBudgetScope,
  scopeId: ZOutId,
  periodLimit: ZOutMoney,
  /** Approved increases running now, and the limit they make (what charges are held to). */
  activeIncrease: ZOutMoney,
  effectiveLimit: ZOutMoney,
  hardLimit: z.boolean(),
  alertThresholds: z.array(z.number().int()),
  status: z.enum(["active", "disabled"]),
  currency: z.string(),
  /** The current period (first local day of the month in the organization's time zone), its spend and holds. */
  periodStart: z.string(),
  spent: ZOutMoney,
  reserved: ZOutMoney,
  remaining: ZOutMoney,
  updatedAt: ZInstant,
});
export const ZListBudgetsOutput = z.object({ items: z.array(ZBudgetOutput) });

/** What a call costs: a cost, or a model and its tokens (priced from the catalogue). */
const chargeFields = {
  model: z.string().min(1).max(200).optional(),
  cost: ZMoney.optional(),
  inputTokens: ZTokens.optional(),
  outputTokens: ZTokens.optional(),
};
/** Whom a person's call is for; an API key's calls go to the key's team. */
const subjectFields = { teamId: ZId.nullish() };

export const ZCheckBudgetInput = orgInput({ ...subjectFields, ...chargeFields });
export const ZCheckBudgetOutput = z.object({
  allowed: z.boolean(),
  periodStart: z.string(),
  tightest: z
    .object({
      budgetId: ZOutId,
      scope: ZBudgetScope,
      scopeId: ZOutId,
      limit: ZOutMoney,
      spent: ZOutMoney,
      reserved: ZOutMoney,
      remaining: ZOutMoney,
      hardLimit: z.boolean(),
    })
    .nullable(),
});

export const ZReserveInput = orgInput({ ...subjectFields, ...chargeFields, ttlSeconds: z.number().int().min(1).max(86_400).optional() });
export const ZReserveOutput = z.object({
  reservationId: ZOutId,
  amount: ZOutMoney,
  periodStart: z.string(),
  expiresAt: ZInstant,
  teamId: ZOutId.nullable(),
});

export const ZSettleInput = orgInput({ reservationId: ZId, ...chargeFields });
export const ZSettleOutput = z.object({ usageRecordId: ZOutId, cost: ZOutMoney, released: ZOutMoney, replayed: z.boolean() });

export const ZReleaseInput = orgInput({ reservationId: ZId });
export const ZReleaseOutput = z.object({ released: ZOutMoney });

export const ZRecordUsageInput = orgInput({
  ...subjectFields,
  ...chargeFields,
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export const ZRecordUsageOutput = z.object({ usageRecordId: ZOutId, cost: ZOutMoney, occurredAt: ZInstant, replayed: z.boolean() });

/** The allocation tree: every budget under the nearest one above it, with warnings. */
export const ZBudgetTreeInput = orgInput({});
export const ZBudgetTreeOutput = z.object({
  currency: z.string(),
  periodStart: z.string(),
  nodes: z.array(
    z.object({
      budgetId: ZOutId,
      scope: ZBudgetScope,
      scopeId: ZOutId,
      name: z.string().nullable(),
      parentBudgetId: ZOutId.nullable(),
      limit: ZOutMoney,
      effectiveLimit: ZOutMoney,
      hardLimit: z.boolean(),
      status: z.enum(["active", "disabled"]),
      spent: ZOutMoney,
      reserved: ZOutMoney,
    }),
  ),
  warnings: z.array(
    z.object({
      kind: z.enum(["CHILD_ABOVE_PARENT", "CHILDREN_EXCEED_PARENT"]),
      budgetId: ZOutId,
      parentBudgetId: ZOutId.optional(),
      limit: ZOutMoney.optional(),
      parentLimit: ZOutMoney,
      childrenTotal: ZOutMoney.optional(),
    }),
  ),
});

export const ZIncreaseStatus = z.enum(["pending", "approved", "denied", "cancelled", "expired"]);
export const ZRequestIncreaseInput = orgInput({
  budgetId: ZId,
  /** How much to add to the limit, in micro-units. */
  amount: ZMoney,
  /** When the increase ends (at most 92 days ahead). */
  increaseUntil: z.coerce.date(),
  reason: z.string().trim().min(1).max(500),
});
export const ZListIncreaseRequestsInput = orgInput({ status: ZIncreaseStatus.nullish() });
export const ZDecideIncreaseInput = orgInput({ requestId: ZId, approve: z.boolean(), note: z.string().trim().max(500).nullish() });
export const ZIncreaseRequestIdInput = orgInput({ requestId: ZId });
export const ZIncreaseRequestOutput = z.object({
  id: ZOutId,
  budgetId: ZOutId,
  scope: ZBudgetScope,
  scopeId: ZOutId,
  requestedBy: z.object({ userId: ZOutId, name: z.string() }).nullable(),
  amount: ZOutMoney,
  increaseUntil: ZInstant,
  reason: z.string(),
  status: ZIncreaseStatus,
  active: z.boolean(),
  expiresAt: ZInstant,
  decidedBy: ZOutId.nullable(),
  decidedAt: ZInstant.nullable(),
  decisionNote: z.string().nullable(),
  createdAt: ZInstant,
});
export const ZListIncreaseRequestsOutput = z.object({ items: z.array(ZIncreaseRequestOutput) });
