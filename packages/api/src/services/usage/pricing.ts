import type { TenantTransaction } from "@aihub/db";
import { DomainError } from "../../errors.js";

/**
 * What a charge costs, in micro-units of the organization's currency: the caller's cost, or
 * tokens priced from the catalogue (micro-units per million tokens; the organization's own
 * price for the model wins over the default; the one in effect at `at`). Rounded up to a
 * whole micro-unit, so a call is never charged less than it cost. A model without a price in
 * the organization's currency is refused, never charged as free.
 */
export interface ChargeInput {
  model?: string | null;
  /** A cost the caller computed itself; when given, tokens are recorded but not priced. */
  cost?: bigint | null;
  inputTokens?: bigint | null;
  outputTokens?: bigint | null;
}

export interface PricedCharge {
  model: string | null;
  cost: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
}

export const MICROS_PER_MILLION_TOKENS = 1_000_000n;

/** Cost of tokens at prices per million tokens, rounded up. */
export function tokenCost(inputTokens: bigint, outputTokens: bigint, inputPrice: bigint, outputPrice: bigint): bigint {
  const scaled = inputTokens * inputPrice + outputTokens * outputPrice;
  return (scaled + MICROS_PER_MILLION_TOKENS - 1n) / MICROS_PER_MILLION_TOKENS;
}

export async function priceCharge(
  tx: TenantTransaction,
  orgId: string,
  currency: string,
  charge: ChargeInput,
  at: Date,
): Promise<PricedCharge> {
  const inputTokens = charge.inputTokens ?? 0n;
  const outputTokens = charge.outputTokens ?? 0n;
  const model = charge.model ?? null;
  if (inputTokens < 0n || outputTokens < 0n) {
    throw new DomainError("BAD_REQUEST", "Token counts cannot be negative", { field: "inputTokens", reason: "NEGATIVE" });
  }
  if (charge.cost != null) {
    if (charge.cost < 0n) throw new DomainError("BAD_REQUEST", "A cost cannot be negative", { field: "cost", reason: "NEGATIVE" });
    return { model, cost: charge.cost, inputTokens, outputTokens };
  }
  if (!model)
    throw new DomainError("BAD_REQUEST", "Give a cost, or a model and its tokens", { field: "model", reason: "COST_OR_TOKENS_REQUIRED" });
  const [price] = await tx.$queryRaw<{ input_price: bigint; output_price: bigint }[]>`
    SELECT input_price, output_price FROM model_prices
     WHERE (organization_id = ${orgId}::uuid OR organization_id IS NULL) AND model = ${model}
       AND currency = ${currency} AND effective_from <= ${at} AND (effective_to IS NULL OR effective_to > ${at})
     ORDER BY organization_id NULLS LAST, effective_from DESC
     LIMIT 1`;
  if (!price) {
    throw new DomainError("PRECONDITION_FAILED", `No price in ${currency} for model ${model}`, {
      reason: "MODEL_NOT_PRICED",
      field: "model",
      model,
    });
  }
  return { model, cost: tokenCost(inputTokens, outputTokens, price.input_price, price.output_price), inputTokens, outputTokens };
}
