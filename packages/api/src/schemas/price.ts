import { z } from "zod";
import { ZMoney, ZOutMoney } from "./budget.js";
import { orgInput, ZInstant, ZOutId } from "./common.js";

/** A model's name as callers send it (the same rule as usage calls). */
const ZModel = z.string().trim().min(1).max(200);

export const ZListPricesInput = orgInput({});
export const ZSetPriceInput = orgInput({
  model: ZModel,
  /** Micro-units of the organization's currency per million input tokens (1.00 = "1000000"). */
  inputPrice: ZMoney,
  outputPrice: ZMoney,
  /** When the price starts to count (default now; never in the past: charges made stay as priced). */
  effectiveFrom: z.coerce.date().optional(),
});
export const ZRemovePriceInput = orgInput({ model: ZModel });

export const ZPriceOutput = z.object({
  id: ZOutId,
  model: z.string(),
  inputPrice: ZOutMoney,
  outputPrice: ZOutMoney,
  currency: z.string(),
  /** "organization": the organization's own; "default": the catalogue every organization reads. */
  source: z.enum(["organization", "default"]),
  effectiveFrom: ZInstant,
  effectiveTo: ZInstant.nullable(),
});
export const ZListPricesOutput = z.object({
  currency: z.string(),
  /** The prices in effect now, one per model; then the organization's scheduled ones. */
  items: z.array(ZPriceOutput),
  scheduled: z.array(ZPriceOutput),
});
export const ZRemovePriceOutput = z.object({ model: z.string(), endedAt: ZInstant.nullable() });
