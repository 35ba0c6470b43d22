import { orgProcedure } from "../../procedures.js";
import { decide } from "../../rbac/access.js";
import {
  ZBudgetOutput,
  ZBudgetTreeInput,
  ZBudgetTreeOutput,
  ZDecideIncreaseInput,
  ZGetBudgetInput,
  ZIncreaseRequestIdInput,
  ZIncreaseRequestOutput,
  ZListBudgetsInput,
  ZListBudgetsOutput,
  ZListIncreaseRequestsInput,
  ZListIncreaseRequestsOutput,
  ZRequestIncreaseInput,
  ZSetBudgetInput,
} from "../../schemas/budget.js";
import * as budgets from "../../services/budgets/budgets.js";
import * as increases from "../../services/budgets/increases.js";
import { router } from "../../trpc.js";

/**
 * Budget settings (docs/budgets.md). Reading is `budget:read`; setting is `budget:write`
 * (admins and owners), audited, and never by an API key (`apiKeys: false`): a key must not
 * raise the limit that caps its own spending.
 */
/** An increase request on the wire: money as decimal strings. */
const wireIncrease = (r: increases.IncreaseView) => ({
  ...r,
  scope: r.scope as "organization" | "team" | "member" | "api_key",
  amount: r.amount.toString(),
});

export const budgetRouter = router({
  set: orgProcedure
    .meta({
      permission: "budget:write",
      apiKeys: false,
      openapi: {
        method: "PUT",
        path: "/organizations/{orgId}/budgets",
        tags: ["Budgets"],
        summary: "Set the budget of a scope (created or changed)",
      },
    })
    .input(ZSetBudgetInput)
    .output(ZBudgetOutput)
    .mutation(({ ctx, input: { orgId: _, ...budget } }) => budgets.setBudget(ctx.service, budget)),
  get: orgProcedure
    .meta({
      permission: "budget:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/budgets/{scope}",
        tags: ["Budgets"],
        summary: "One scope's budget and its spend this period",
      },
    })
    .input(ZGetBudgetInput)
    .output(ZBudgetOutput)
    .query(({ ctx, input: { orgId: _, ...target } }) => budgets.getBudget(ctx.service, target)),
  list: orgProcedure
    .meta({
      permission: "budget:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/budgets",
        tags: ["Budgets"],
        summary: "The organization's budgets and their spend this period",
      },
    })
    .input(ZListBudgetsInput)
    .output(ZListBudgetsOutput)
    .query(({ ctx, input: { orgId: _, ...filters } }) => budgets.listBudgets(ctx.service, filters)),
  tree: orgProcedure
    .meta({
      permission: "budget:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/budgets/tree",
        tags: ["Budgets"],
        summary: "Every budget under the nearest one above it, with allocation warnings",
      },
    })
    .input(ZBudgetTreeInput)
    .output(ZBudgetTreeOutput)
    .query(async ({ ctx }) => {
      const tree = await budgets.budgetTree(ctx.service);
      const money = (v: bigint | undefined) => (v === undefined ? undefined : v.toString());
      return {
        currency: tree.currency,
        periodStart: tree.periodStart,
        nodes: tree.nodes.map((n) => ({
          ...n,
          limit: n.limit.toString(),
          effectiveLimit: n.effectiveLimit.toString(),
          spent: n.spent.toString(),
          reserved: n.reserved.toString(),
        })),
        warnings: tree.warnings.map((w) => ({
          kind: w.kind,
          budgetId: w.budgetId,
          parentBudgetId: "parentBudgetId" in w ? w.parentBudgetId : undefined,
          limit: "limit" in w ? money(w.limit) : undefined,
          parentLimit: w.parentLimit.toString(),
          childrenTotal: "childrenTotal" in w ? money(w.childrenTotal) : undefined,
        })),
      };
    }),
  /** Any member who can see budgets may ask; people only (a key must not ask for its own headroom). */
  requestIncrease: orgProcedure
    .meta({ permission: "budget:read", apiKeys: false })
    .input(ZRequestIncreaseInput)
    .output(ZIncreaseRequestOutput)
    .mutation(async ({ ctx, input }) =>
      wireIncrease(
        await increases.requestIncrease(ctx.service, {
          budgetId: input.budgetId,
          amount: BigInt(input.amount),
          increaseUntil: input.increaseUntil,
          reason: input.reason,
        }),
      ),
    ),
  /** Deciders (budget:write) see every request; anyone else their own. */
  listIncreaseRequests: orgProcedure
    .meta({ permission: "budget:read", apiKeys: false })
    .input(ZListIncreaseRequestsInput)
    .output(ZListIncreaseRequestsOutput)
    .query(async ({ ctx, input }) => {
      const mineOnly = !decide(ctx.service.access, "budget:write").allowed;
      const items = await increases.listIncreaseRequests(ctx.service, { status: input.status ?? null, mineOnly });
      return { items: items.map(wireIncrease) };
    }),
  decideIncrease: orgProcedure
    .meta({ permission: "budget:write", apiKeys: false })
    .input(ZDecideIncreaseInput)
    .output(ZIncreaseRequestOutput)
    .mutation(async ({ ctx, input }) =>
      wireIncrease(await increases.decideIncrease(ctx.service, { requestId: input.requestId, approve: input.approve, note: input.note })),
    ),
  cancelIncreaseRequest: orgProcedure
    .meta({ permission: "budget:read", apiKeys: false })
    .input(ZIncreaseRequestIdInput)
    .output(ZIncreaseRequestOutput)
    .mutation(async ({ ctx, input }) => wireIncrease(await increases.cancelIncreaseRequest(ctx.service, { requestId: input.requestId }))),
});
