import type { TenantTransaction } from "@aihub/db";
import { activeIncreaseSql } from "./increases.js";

/**
 * The allocation tree: each budget under the nearest budget above it — a team's under its
 * closest ancestor team that has one, a key's under its team's (or that team's ancestors'), a
 * member's and every top-level one under the organization's. Warnings name children set above
 * their parent and parents whose children together are allocated more than they have.
 */

export type Scope = "organization" | "team" | "member" | "api_key";

export interface AllocationNode {
  budgetId: string;
  scope: Scope;
  scopeId: string;
  name: string | null;
  parentBudgetId: string | null;
  limit: bigint;
  effectiveLimit: bigint;
  hardLimit: boolean;
  status: "active" | "disabled";
  spent: bigint;
  reserved: bigint;
}

export type AllocationWarning =
  | { kind: "CHILD_ABOVE_PARENT"; budgetId: string; parentBudgetId: string; limit: bigint; parentLimit: bigint }
  | { kind: "CHILDREN_EXCEED_PARENT"; budgetId: string; parentLimit: bigint; childrenTotal: bigint };

interface BudgetRow {
  id: string;
  scope: Scope;
  scope_id: string;
  period_limit: bigint;
  active_increase: bigint;
  hard_limit: boolean;
  status: "active" | "disabled";
  spend: bigint;
  reserved: bigint;
}

/** What the tree needs to place a scope: team parents, key teams and names. */
interface Places {
  teamParent: Map<string, string | null>;
  keyTeam: Map<string, string | null>;
  names: Map<string, string>;
}

async function placesOf(tx: TenantTransaction, orgId: string): Promise<Places> {
  const teams = await tx.$queryRaw<{ id: string; name: string; parent_team_id: string | null }[]>`
    SELECT id, name, parent_team_id FROM teams WHERE organization_id = ${orgId}::uuid`;
  const keys = await tx.$queryRaw<{ id: string; name: string; team_id: string | null }[]>`
    SELECT id, name, team_id FROM org_api_keys WHERE organization_id = ${orgId}::uuid`;
  const members = await tx.$queryRaw<{ id: string; name: string }[]>`
    SELECT m.id, coalesce(nullif(u.name, ''), u.email) AS name FROM members m JOIN users u ON u.id = m.user_id
     WHERE m.organization_id = ${orgId}::uuid
       AND m.id IN (SELECT scope_id FROM budgets WHERE organization_id = ${orgId}::uuid AND scope = 'member')`;
  const [org] = await tx.$queryRaw<{ name: string }[]>`SELECT name FROM organizations WHERE id = ${orgId}::uuid`;
  const names = new Map<string, string>([...teams, ...keys, ...members].map((r) => [r.id, r.name]));
  if (org) names.set(orgId, org.name);
  return {
    teamParent: new Map(teams.map((t) => [t.id, t.parent_team_id])),
    keyTeam: new Map(keys.map((k) => [k.id, k.team_id])),
    names,
  };
}

/** The budget a scope sits under: the nearest budgeted team above it, else the organization's. */
export function parentBudgetOf(
  scope: Scope,
  scopeId: string,
  orgId: string,
  places: Pick<Places, "teamParent" | "keyTeam">,
  budgetOfScope: (scope: Scope, scopeId: string) => string | undefined,
): string | null {
  if (scope === "organization") return null;
  // The first team to look at: a team's parent, a key's own team; a member sits under the organization.
  let team = scope === "team" ? places.teamParent.get(scopeId) : scope === "api_key" ? places.keyTeam.get(scopeId) : null;
  for (let depth = 0; team && depth < 64; depth++) {
    const found = budgetOfScope("team", team);
    if (found) return found;
    team = places.teamParent.get(team) ?? null;
  }
  return budgetOfScope("organization", orgId) ?? null;
}

async function budgetRows(tx: TenantTransaction, orgId: string, period: string): Promise<BudgetRow[]> {
  return tx.$queryRaw<BudgetRow[]>`
    SELECT b.id, b.scope::text AS scope, b.scope_id, b.period_limit, ${activeIncreaseSql("b")} AS active_increase, b.hard_limit,
           b.status::text AS status, coalesce(p.spend, 0) AS spend, coalesce(p.reserved, 0) AS reserved
      FROM budgets b
      LEFT JOIN budget_periods p ON p.organization_id = b.organization_id AND p.budget_id = b.id AND p.period_start = ${period}::date
     WHERE b.organization_id = ${orgId}::uuid
     ORDER BY b.scope, b.scope_id`;
}

export async function allocationTree(
  tx: TenantTransaction,
  orgId: string,
  period: string,
): Promise<{ nodes: AllocationNode[]; warnings: AllocationWarning[] }> {
  const [rows, places] = [await budgetRows(tx, orgId, period), await placesOf(tx, orgId)];
  const byScope = new Map(rows.map((r) => [`${r.scope}:${r.scope_id}`, r.id]));
  const lookup = (scope: Scope, scopeId: string) => byScope.get(`${scope}:${scopeId}`);
  const nodes: AllocationNode[] = rows.map((r) => ({
    budgetId: r.id,
    scope: r.scope,
    scopeId: r.scope_id,
    name: places.names.get(r.scope_id) ?? null,
    parentBudgetId: parentBudgetOf(r.scope, r.scope_id, orgId, places, lookup),
    limit: r.period_limit,
    effectiveLimit: r.period_limit + r.active_increase,
    hardLimit: r.hard_limit,
    status: r.status,
    spent: r.spend,
    reserved: r.reserved,
  }));
  return { nodes, warnings: warningsOf(nodes) };
}

/** Limits compared are the budgets' own (increases are temporary by design). */
export function warningsOf(nodes: AllocationNode[]): AllocationWarning[] {
  const byId = new Map(nodes.map((n) => [n.budgetId, n]));
  const warnings: AllocationWarning[] = [];
  const childrenTotal = new Map<string, bigint>();
  for (const node of nodes) {
    const parent = node.parentBudgetId ? byId.get(node.parentBudgetId) : undefined;
    if (!parent) continue;
    if (node.limit > parent.limit)
      warnings.push({
        kind: "CHILD_ABOVE_PARENT",
        budgetId: node.budgetId,
        parentBudgetId: parent.budgetId,
        limit: node.limit,
        parentLimit: parent.limit,
      });
    // Member budgets overlap team budgets (a member spends through teams), so only teams and keys add up as allocations.
    if (node.scope !== "member") childrenTotal.set(parent.budgetId, (childrenTotal.get(parent.budgetId) ?? 0n) + node.limit);
  }
  for (const [budgetId, total] of childrenTotal) {
    const parent = byId.get(budgetId) as AllocationNode;
    if (total > parent.limit) warnings.push({ kind: "CHILDREN_EXCEED_PARENT", budgetId, parentLimit: parent.limit, childrenTotal: total });
  }
  return warnings;
}

/** The limit of the budget a new or changed budget would sit under, if any. */
export async function parentLimitFor(
  tx: TenantTransaction,
  orgId: string,
  scope: Scope,
  scopeId: string,
): Promise<{ budgetId: string; scope: Scope; limit: bigint } | null> {
  if (scope === "organization") return null;
  const rows = await tx.$queryRaw<{ id: string; scope: Scope; scope_id: string; period_limit: bigint }[]>`
    SELECT id, scope::text AS scope, scope_id, period_limit FROM budgets WHERE organization_id = ${orgId}::uuid AND scope IN ('organization', 'team')`;
  const places = await placesOf(tx, orgId);
  const byScope = new Map(rows.map((r) => [`${r.scope}:${r.scope_id}`, r]));
  const parentId = parentBudgetOf(scope, scopeId, orgId, places, (s, id) => byScope.get(`${s}:${id}`)?.id);
  const parent = rows.find((r) => r.id === parentId);
  return parent ? { budgetId: parent.id, scope: parent.scope, limit: parent.period_limit } : null;
}
