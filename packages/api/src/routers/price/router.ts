import { orgProcedure } from "../../procedures.js";
import {
  ZListPricesInput,
  ZListPricesOutput,
  ZPriceOutput,
  ZRemovePriceInput,
  ZRemovePriceOutput,
  ZSetPriceInput,
} from "../../schemas/price.js";
import * as prices from "../../services/prices/prices.js";
import { router } from "../../trpc.js";

/**
 * The organization's price list: what a model's tokens cost when a usage call sends tokens
 * (docs/budgets.md). Everyone who sees budgets reads it; admins and owners change it, audited,
 * never a key or a token (a key must not lower what its own calls cost).
 */
export const priceRouter = router({
  list: orgProcedure
    .meta({
      permission: "budget:read",
      openapi: { method: "GET", path: "/organizations/{orgId}/prices", tags: ["Budgets"], summary: "The prices in effect, one per model" },
    })
    .input(ZListPricesInput)
    .output(ZListPricesOutput)
    .query(({ ctx }) => prices.listPrices(ctx.service)),
  set: orgProcedure
    .meta({
      permission: "budget:write",
      apiKeys: false,
      openapi: {
        method: "PUT",
        path: "/organizations/{orgId}/prices",
        tags: ["Budgets"],
        summary: "Set a model's price from now or a later moment (the one it replaces ends then)",
      },
    })
    .input(ZSetPriceInput)
    .output(ZPriceOutput)
    .mutation(({ ctx, input }) =>
      prices.setPrice(ctx.service, {
        model: input.model,
        inputPrice: BigInt(input.inputPrice),
        outputPrice: BigInt(input.outputPrice),
        effectiveFrom: input.effectiveFrom,
      }),
    ),
  remove: orgProcedure
    .meta({ permission: "budget:write", apiKeys: false })
    .input(ZRemovePriceInput)
    .output(ZRemovePriceOutput)
    .mutation(({ ctx, input }) => prices.removePrice(ctx.service, { model: input.model })),
});
