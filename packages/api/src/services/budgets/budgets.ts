import type { TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import type { TGetBudgetInput, TSetBudgetInput } from "../../schemas/budget.js";
import { audit } from "../audit/audit.js";
import type { OrgServiceContext } from "../service-context.js";
import { activeIncreaseSql } from "./increases.js";
import { budgetPeriod } from "./period.js";
import { allocationTree, parentLimitFor } from "./tree.js";

/**
 * Budget settings at each scope (organization, team, member, API key): set (create or change,
 * audited), get and list, each with the current period's spend. A new limit applies at once
 * to the next charge (the charging statement reads the budget's current limit).
 */

type Scope = TSetBudgetInput["scope"];

interface BudgetRow {
  id: string;
  scope: Scope;
  scope_id: string;
  period_limit: bigint;
  /** Approved increases running now, on top of the limit. */
  active_increase: bigint;
  hard_limit: boolean;
  alert_thresholds: number[];
  status: "active" | "disabled";
  updated_at: Date;
  spend: bigint;
  reserved: bigint;
}

/** The scope's id: the organization itself, or a team, member or key that exists in it. */
async function targetOf(tx: TenantTransaction, orgId: string, scope: Scope, scopeId: string | null | undefined): Promise<string> {
  if (scope === "organization") {
    if (scopeId && scopeId !== orgId)
      throw new DomainError("BAD_REQUEST", "An organization budget is the organization's own", {
        field: "scopeId",
        reason: "SCOPE_ID_NOT_ALLOWED",
      });
    return orgId;
  }
  if (!scopeId)
    throw new DomainError("BAD_REQUEST", `A ${scope.replace("_", " ")} budget needs its scopeId`, {
      field: "scopeId",
      reason: "SCOPE_ID_REQUIRED",
    });
  const [found] =
    scope === "team"
      ? await tx.$queryRaw<{ id: string }[]>`SELECT id FROM teams WHERE organization_id = ${orgId}::uuid AND id = ${scopeId}::uuid`
      : scope === "member"
        ? await tx.$queryRaw<{ id: string }[]>`SELECT id FROM members WHERE organization_id = ${orgId}::uuid AND id = ${scopeId}::uuid`
        : await tx.$queryRaw<
            { id: string }[]
          >`SELECT id FROM org_api_keys WHERE organization_id = ${orgId}::uuid AND id = ${scopeId}::uuid`;
  if (!found) throw notFound(scope === "api_key" ? "API key" : scope === "team" ? "Team" : "Member");
  return scopeId;
}

/** The organization's currency and the period running now (in the zone budget periods follow). */
async function orgCalendar(tx: TenantTransaction, orgId: string): Promise<{ period: string; currency: string }> {
  const [org] = await tx.$queryRaw<
    { timezone: string; currency: string; budget_timezone: string | null; budget_timezone_until: Date | null }[]
  >`
    SELECT timezone, currency, budget_timezone, budget_timezone_until FROM organizations WHERE id = ${orgId}::uuid`;
  if (!org) throw notFound("Organization");
  const period = budgetPeriod(new Date(), {
    timezone: org.timezone,
    budgetTimezone: org.budget_timezone,
    budgetTimezoneUntil: org.budget_timezone_until,
  });
  return { period, currency: org.currency };
}

async function budgetsWithSpend(
  tx: TenantTransaction,
  orgId: string,
  period: string,
  filter: { id?: string; scope?: Scope },
): Promise<BudgetRow[]> {
  return tx.$queryRaw<BudgetRow[]>`
    SELECT b.id, b.scope::text AS scope, b.scope_id, b.period_limit, ${activeIncreaseSql("b")} AS active_increase, b.hard_limit,
           b.alert_thresholds, b.status::text AS status, b.updated_at,
           coalesce(p.spend, 0) AS spend, coalesce(p.reserved, 0) AS reserved
      FROM budgets b
      LEFT JOIN budget_periods p ON p.organization_id = b.organization_id AND p.budget_id = b.id AND p.period_start = ${period}::date
     WHERE b.organization_id = ${orgId}::uuid
       AND (${filter.id ?? null}::uuid IS NULL OR b.id = ${filter.id ?? null}::uuid)
       AND (${filter.scope ?? null}::text IS NULL OR b.scope::text = ${filter.scope ?? null}::text)
     ORDER BY b.scope, b.scope_id`;
}

function view(row: BudgetRow, currency: string, period: string) {
  const effective = row.period_limit + row.active_increase;
  const left = effective - row.spend - row.reserved;
  return {
    id: row.id,
    scope: row.scope,
    scopeId: row.scope_id,
    periodLimit: row.period_limit.toString(),
    activeIncrease: row.active_increase.toString(),
    effectiveLimit: effective.toString(),
    hardLimit: row.hard_limit,
    alertThresholds: row.alert_thresholds,
    status: row.status,
    currency,
    periodStart: period,
    spent: row.spend.toString(),
    reserved: row.reserved.toString(),
    remaining: (left > 0n ? left : 0n).toString(),
    updatedAt: row.updated_at,
  };
}
export type BudgetView = ReturnType<typeof view>;

export async function setBudget(ctx: OrgServiceContext, input: Omit<TSetBudgetInput, "orgId">): Promise<BudgetView> {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const scopeId = await targetOf(tx, ctx.orgId, input.scope, input.scopeId);
    if (!input.allowAboveParent) await refuseAboveParent(tx, ctx.orgId, input.scope, scopeId, BigInt(input.periodLimit));
    const thresholds = [...new Set(input.alertThresholds)].sort((a, b) => a - b);
    const [before] = await tx.$queryRaw<
      { id: string; period_limit: bigint; hard_limit: boolean; alert_thresholds: number[]; status: string }[]
    >`
      SELECT id, period_limit, hard_limit, alert_thresholds, status::text AS status FROM budgets
       WHERE organization_id = ${ctx.orgId}::uuid AND scope = ${input.scope}::budget_scope AND scope_id = ${scopeId}::uuid FOR UPDATE`;
    const [saved] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO budgets (organization_id, scope, scope_id, period_limit, hard_limit, alert_thresholds, status)
      VALUES (${ctx.orgId}::uuid, ${input.scope}::budget_scope, ${scopeId}::uuid, ${BigInt(input.periodLimit)}, ${input.hardLimit},
              ${thresholds}::int[], ${input.status}::budget_status)
      ON CONFLICT (organization_id, scope, scope_id) DO UPDATE
        SET period_limit = EXCLUDED.period_limit, hard_limit = EXCLUDED.hard_limit, alert_thresholds = EXCLUDED.alert_thresholds,
            status = EXCLUDED.status, updated_at = now()
      RETURNING id`;
    const id = saved?.id as string;
    const after = {
      scope: input.scope,
      scopeId,
      periodLimit: input.periodLimit,
      hardLimit: input.hardLimit,
      alertThresholds: thresholds,
      status: input.status,
    };
    await audit(tx, ctx, {
      action: before ? "budget.updated" : "budget.created",
      targetId: id,
      before: before
        ? {
            scope: input.scope,
            scopeId,
            periodLimit: before.period_limit,
            hardLimit: before.hard_limit,
            alertThresholds: before.alert_thresholds,
            status: before.status,
          }
        : null,
      after,
    });
    const { period, currency } = await orgCalendar(tx, ctx.orgId);
    const [row] = await budgetsWithSpend(tx, ctx.orgId, period, { id });
    return view(row as BudgetRow, currency, period);
  });
}

/** A child's limit above the budget it sits under is refused unless the caller says so (allowAboveParent). */
async function refuseAboveParent(tx: TenantTransaction, orgId: string, scope: Scope, scopeId: string, limit: bigint) {
  const parent = await parentLimitFor(tx, orgId, scope, scopeId);
  if (parent && limit > parent.limit)
    throw new DomainError(
      "BAD_REQUEST",
      `The limit is above the ${parent.scope === "organization" ? "organization's" : "parent team's"} budget (${parent.limit} micro-units); set allowAboveParent to do it anyway`,
      { field: "periodLimit", reason: "ABOVE_PARENT_BUDGET" },
    );
}

/** Every budget in its place in the allocation tree, with this period's spend and the tree's warnings. */
export async function budgetTree(ctx: OrgServiceContext) {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const { period, currency } = await orgCalendar(tx, ctx.orgId);
    return { currency, periodStart: period, ...(await allocationTree(tx, ctx.orgId, period)) };
  });
}

export async function getBudget(ctx: OrgServiceContext, input: Omit<TGetBudgetInput, "orgId">): Promise<BudgetView> {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const scopeId = await targetOf(tx, ctx.orgId, input.scope, input.scopeId);
    const { period, currency } = await orgCalendar(tx, ctx.orgId);
    const rows = await budgetsWithSpend(tx, ctx.orgId, period, { scope: input.scope });
    const row = rows.find((r) => r.scope_id === scopeId);
    if (!row) throw notFound("Budget");
    return view(row, currency, period);
  });
}

export async function listBudgets(ctx: OrgServiceContext, input: { scope?: Scope }): Promise<{ items: BudgetView[] }> {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const { period, currency } = await orgCalendar(tx, ctx.orgId);
    const rows = await budgetsWithSpend(tx, ctx.orgId, period, { scope: input.scope });
    return { items: rows.map((r) => view(r, currency, period)) };
  });
}
