import type { TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import { audit } from "../audit/audit.js";
import type { OrgServiceContext } from "../service-context.js";

/**
 * The organization's price list (docs/budgets.md): per model, micro-units per million input and
 * output tokens in the organization's currency, with effective dates. An organization's own
 * price wins over the default catalogue's. Prices never change in place: a new price ends the
 * one it replaces at the moment it starts, so every past charge keeps the price it was made at
 * and the history stays readable. Changes are audited.
 */

interface PriceRow {
  id: string;
  model: string;
  input_price: bigint;
  output_price: bigint;
  currency: string;
  organization_id: string | null;
  effective_from: Date;
  effective_to: Date | null;
}

const view = (r: PriceRow) => ({
  id: r.id,
  model: r.model,
  inputPrice: r.input_price.toString(),
  outputPrice: r.output_price.toString(),
  currency: r.currency,
  source: r.organization_id ? ("organization" as const) : ("default" as const),
  effectiveFrom: r.effective_from,
  effectiveTo: r.effective_to,
});

async function currencyOf(tx: TenantTransaction, orgId: string): Promise<string> {
  const [org] = await tx.$queryRaw<{ currency: string }[]>`SELECT currency FROM organizations WHERE id = ${orgId}::uuid`;
  if (!org) throw notFound("Organization");
  return org.currency;
}

export async function listPrices(ctx: OrgServiceContext, now: Date = new Date()) {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const currency = await currencyOf(tx, ctx.orgId);
    // The price each model is charged at now (the organization's over the default), as pricing picks it.
    const current = await tx.$queryRaw<PriceRow[]>`
      SELECT DISTINCT ON (model) id, model, input_price, output_price, currency, organization_id, effective_from, effective_to
        FROM model_prices
       WHERE (organization_id = ${ctx.orgId}::uuid OR organization_id IS NULL) AND currency = ${currency}
         AND effective_from <= ${now} AND (effective_to IS NULL OR effective_to > ${now})
       ORDER BY model, organization_id NULLS LAST, effective_from DESC`;
    const scheduled = await tx.$queryRaw<PriceRow[]>`
      SELECT id, model, input_price, output_price, currency, organization_id, effective_from, effective_to
        FROM model_prices
       WHERE organization_id = ${ctx.orgId}::uuid AND currency = ${currency} AND effective_from > ${now}
       ORDER BY model, effective_from`;
    return { currency, items: current.map(view), scheduled: scheduled.map(view) };
  });
}

export async function setPrice(
  ctx: OrgServiceContext,
  input: { model: string; inputPrice: bigint; outputPrice: bigint; effectiveFrom?: Date },
  now: Date = new Date(),
) {
  const from = input.effectiveFrom ?? now;
  // A minute of slack for clocks; before that the charges made are already priced.
  if (from.getTime() < now.getTime() - 60_000)
    throw new DomainError("BAD_REQUEST", "A price cannot start in the past", { field: "effectiveFrom", reason: "EXPIRY_IN_PAST" });
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const currency = await currencyOf(tx, ctx.orgId);
    // One change of a model's prices at a time.
    const mine = await tx.$queryRaw<PriceRow[]>`
      SELECT id, model, input_price, output_price, currency, organization_id, effective_from, effective_to
        FROM model_prices WHERE organization_id = ${ctx.orgId}::uuid AND model = ${input.model} AND currency = ${currency}
       ORDER BY effective_from FOR UPDATE`;
    const replaced = mine.find((r) => r.effective_from < from && (r.effective_to === null || r.effective_to > from)) ?? null;
    // Prices scheduled at or after the new one never counted yet: the new one replaces them.
    await tx.$executeRaw`
      DELETE FROM model_prices WHERE organization_id = ${ctx.orgId}::uuid AND model = ${input.model} AND currency = ${currency}
         AND effective_from >= ${from}`;
    if (replaced) await tx.$executeRaw`UPDATE model_prices SET effective_to = ${from} WHERE id = ${replaced.id}::uuid`;
    const [saved] = await tx.$queryRaw<PriceRow[]>`
      INSERT INTO model_prices (organization_id, model, input_price, output_price, currency, effective_from)
      VALUES (${ctx.orgId}::uuid, ${input.model}, ${input.inputPrice}, ${input.outputPrice}, ${currency}, ${from})
      RETURNING id, model, input_price, output_price, currency, organization_id, effective_from, effective_to`;
    const row = saved as PriceRow;
    await audit(tx, ctx, {
      action: "price.set",
      targetId: row.id,
      before: replaced ? { model: replaced.model, inputPrice: replaced.input_price, outputPrice: replaced.output_price, currency } : null,
      after: { model: row.model, inputPrice: row.input_price, outputPrice: row.output_price, currency, effectiveFrom: from },
    });
    return view(row);
  });
}

/** Ends the organization's own price of a model now (the default catalogue's applies again, if any). */
export async function removePrice(ctx: OrgServiceContext, input: { model: string }, now: Date = new Date()) {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const currency = await currencyOf(tx, ctx.orgId);
    const [current] = await tx.$queryRaw<PriceRow[]>`
      SELECT id, model, input_price, output_price, currency, organization_id, effective_from, effective_to
        FROM model_prices WHERE organization_id = ${ctx.orgId}::uuid AND model = ${input.model} AND currency = ${currency}
         AND effective_from <= ${now} AND (effective_to IS NULL OR effective_to > ${now})
       FOR UPDATE`;
    await tx.$executeRaw`
      DELETE FROM model_prices WHERE organization_id = ${ctx.orgId}::uuid AND model = ${input.model} AND effective_from > ${now}`;
    if (!current) throw notFound("Price");
    await tx.$executeRaw`UPDATE model_prices SET effective_to = ${now} WHERE id = ${current.id}::uuid`;
    await audit(tx, ctx, {
      action: "price.removed",
      targetId: current.id,
      before: { model: current.model, inputPrice: current.input_price, outputPrice: current.output_price, currency },
      after: { model: current.model, effectiveTo: now },
    });
    return { model: current.model, endedAt: now };
  });
}
