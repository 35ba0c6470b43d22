import { orgProcedure } from "../../procedures.js";
import {
  ZCheckBudgetInput,
  ZCheckBudgetOutput,
  ZRecordUsageInput,
  ZRecordUsageOutput,
  ZReleaseInput,
  ZReleaseOutput,
  ZReserveInput,
  ZReserveOutput,
  ZSettleInput,
  ZSettleOutput,
} from "../../schemas/budget.js";
import { ZUsageBreakdownInput, ZUsageBreakdownOutput, ZUsageSummaryInput, ZUsageSummaryOutput } from "../../schemas/usage.js";
import { checkBudget, release, reserve, settle } from "../../services/budgets/reservations.js";
import { chargeOf, spendContext, subjectOf } from "../../services/usage/caller.js";
import { type UsageTotals, usageBreakdown, usageSummary } from "../../services/usage/explorer.js";
import { recordUsage } from "../../services/usage/record.js";
import { router } from "../../trpc.js";

/**
 * The data plane's spend calls (docs/budgets.md): check, reserve, settle, release and record.
 * An API key's calls are charged to the key (and its team); a person's to them and the team
 * they name (one they belong to). Money in and out as decimal strings of micro-units.
 */
/** Totals on the wire: counts as numbers, money as a decimal string. */
const wireTotals = (t: UsageTotals) => ({
  requests: Number(t.requests),
  inputTokens: Number(t.inputTokens),
  outputTokens: Number(t.outputTokens),
  cost: t.cost.toString(),
});

export const usageRouter = router({
  checkBudget: orgProcedure
    .meta({
      permission: "budget:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/budgets/usage/check",
        tags: ["Usage"],
        summary: "Whether a cost fits every budget on the caller's path, and the tightest one",
      },
    })
    .input(ZCheckBudgetInput)
    .output(ZCheckBudgetOutput)
    .query(async ({ ctx, input }) => {
      const result = await checkBudget(spendContext(ctx.service), {
        subject: subjectOf(ctx.service, input),
        charge: input.cost !== undefined || input.model !== undefined ? chargeOf(input) : undefined,
      });
      const t = result.tightest;
      return {
        allowed: result.allowed,
        periodStart: result.periodStart,
        tightest: t
          ? {
              budgetId: t.budgetId,
              scope: t.scope as "organization" | "team" | "member" | "api_key",
              scopeId: t.scopeId,
              limit: t.limit.toString(),
              spent: t.spent.toString(),
              reserved: t.reserved.toString(),
              remaining: t.remaining.toString(),
              hardLimit: t.hardLimit,
            }
          : null,
      };
    }),
  reserve: orgProcedure
    .meta({
      permission: "usage:write",
      openapi: {
        method: "POST",
        path: "/organizations/{orgId}/budgets/reservations",
        tags: ["Usage"],
        summary: "Hold an amount on every budget of the caller's path (all or none)",
      },
    })
    .input(ZReserveInput)
    .output(ZReserveOutput)
    .mutation(async ({ ctx, input }) => {
      const r = await reserve(spendContext(ctx.service), {
        subject: subjectOf(ctx.service, input),
        charge: chargeOf(input),
        ttlSeconds: input.ttlSeconds,
      });
      return { ...r, amount: r.amount.toString() };
    }),
  settle: orgProcedure
    .meta({
      permission: "usage:write",
      openapi: {
        method: "POST",
        path: "/organizations/{orgId}/budgets/reservations/{reservationId}/settle",
        tags: ["Usage"],
        summary: "Charge a reservation's actual cost and release the rest (once)",
      },
    })
    .input(ZSettleInput)
    .output(ZSettleOutput)
    .mutation(async ({ ctx, input }) => {
      const s = await settle(spendContext(ctx.service), { reservationId: input.reservationId, charge: chargeOf(input) });
      return { ...s, cost: s.cost.toString(), released: s.released.toString() };
    }),
  release: orgProcedure
    .meta({
      permission: "usage:write",
      openapi: {
        method: "POST",
        path: "/organizations/{orgId}/budgets/reservations/{reservationId}/release",
        tags: ["Usage"],
        summary: "Give a reservation's hold back without charging",
      },
    })
    .input(ZReleaseInput)
    .output(ZReleaseOutput)
    .mutation(async ({ ctx, input }) => {
      const r = await release(spendContext(ctx.service), input.reservationId);
      return { released: r.released.toString() };
    }),
  record: orgProcedure
    .meta({
      permission: "usage:write",
      openapi: {
        method: "POST",
        path: "/organizations/{orgId}/budgets/usage",
        tags: ["Usage"],
        summary: "Charge a call directly (idempotent by key)",
      },
    })
    .input(ZRecordUsageInput)
    .output(ZRecordUsageOutput)
    .mutation(async ({ ctx, input }) => {
      const r = await recordUsage(spendContext(ctx.service), {
        subject: subjectOf(ctx.service, input),
        charge: chargeOf(input),
        idempotencyKey: input.idempotencyKey,
      });
      return { ...r, cost: r.cost.toString() };
    }),
  summary: orgProcedure
    .meta({
      permission: "usage:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/budgets/usage",
        tags: ["Usage"],
        summary: "Usage totals over a range of local days, with one row per day",
      },
    })
    .input(ZUsageSummaryInput)
    .output(ZUsageSummaryOutput)
    .query(async ({ ctx, input: { orgId: _, ...range } }) => {
      const s = await usageSummary(ctx.service, range);
      return {
        currency: s.currency,
        from: range.from,
        to: range.to,
        totals: wireTotals(s.totals),
        days: s.days.map((d) => ({ day: d.day, ...wireTotals(d) })),
      };
    }),
  breakdown: orgProcedure
    .meta({
      permission: "usage:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/budgets/usage/breakdown",
        tags: ["Usage"],
        summary: "Usage over a range by day, team, member, model or key; the none bucket included",
      },
    })
    .input(ZUsageBreakdownInput)
    .output(ZUsageBreakdownOutput)
    .query(async ({ ctx, input: { orgId: _, ...range } }) => {
      const b = await usageBreakdown(ctx.service, range);
      return {
        currency: b.currency,
        from: range.from,
        to: range.to,
        by: range.by,
        totals: wireTotals(b.totals),
        items: b.items.map((i) => ({
          key: i.key,
          label: i.label,
          ...wireTotals(i),
          ...(i.parentId !== undefined ? { parentId: i.parentId } : {}),
          ...(i.subtreeCost !== undefined ? { subtreeCost: i.subtreeCost.toString() } : {}),
        })),
      };
    }),
});
