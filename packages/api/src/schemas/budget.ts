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
