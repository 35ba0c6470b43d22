import { orgProcedure } from "../../procedures.js";
import { ZBudgetOutput, ZGetBudgetInput, ZListBudgetsInput, ZListBudgetsOutput, ZSetBudgetInput } from "../../schemas/budget.js";
import * as budgets from "../../services/budgets/budgets.js";
import { router } from "../../trpc.js";

/**
 * Budget settings (docs/budgets.md). Reading is `budget:read`; setting is `budget:write`
 * (admins and owners), audited, and never by an API key (`apiKeys: false`): a key must not
 * raise the limit that caps its own spending.
 */
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
});
