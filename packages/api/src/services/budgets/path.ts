import type { TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import type { CounterRow } from "./counters.js";
import type { BudgetCalendar } from "./period.js";

/** Who a charge is for. The team is the key's team, else the member's chosen team, else none. */
export interface UsageSubject {
  apiKeyId?: string | null;
  memberId?: string | null;
  /** The team the member works for in this call; ignored when the key has a team. */
  teamId?: string | null;
}

/** The charge's attribution and the active budgets on its path (key → member → team and its ancestors → org). */
export interface UsagePath {
  teamId: string | null;
  memberId: string | null;
  apiKeyId: string | null;
  timezone: string;
  /** The zones budget periods follow (see `budgetPeriod`). */
  calendar: BudgetCalendar;
  currency: string;
  budgetIds: string[];
}

export async function resolvePath(tx: TenantTransaction, orgId: string, subject: UsageSubject): Promise<UsagePath> {
  const [org] = await tx.$queryRaw<
    { timezone: string; currency: string; budget_timezone: string | null; budget_timezone_until: Date | null }[]
  >`
    SELECT timezone, currency, budget_timezone, budget_timezone_until FROM organizations WHERE id = ${orgId}::uuid`;
  if (!org) throw notFound("Organization");
  const apiKeyId = subject.apiKeyId ?? null;
  const memberId = subject.memberId ?? null;
  let teamId = subject.teamId ?? null;
  let teamFromKey = false;
  if (apiKeyId) {
    const [key] = await tx.$queryRaw<{ team_id: string | null }[]>`
      SELECT team_id FROM org_api_keys WHERE organization_id = ${orgId}::uuid AND id = ${apiKeyId}::uuid`;
    if (!key) throw notFound("API key");
    if (key.team_id) {
      teamId = key.team_id;
      teamFromKey = true;
    }
  }
  if (memberId) {
    const [member] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM members WHERE organization_id = ${orgId}::uuid AND id = ${memberId}::uuid`;
    if (!member) throw notFound("Member");
  }
  if (teamId && !teamFromKey) {
    const [team] = await tx.$queryRaw<{ id: string; is_member: boolean }[]>`
      SELECT t.id, EXISTS (SELECT 1 FROM team_memberships m
                            WHERE m.organization_id = t.organization_id AND m.team_id = t.id AND m.member_id = ${memberId}::uuid) AS is_member
        FROM teams t WHERE t.organization_id = ${orgId}::uuid AND t.id = ${teamId}::uuid`;
    if (!team) throw notFound("Team");
    // A person charges only a team they belong to: choosing another team's budget would dodge their own.
    if (!team.is_member)
      throw new DomainError("FORBIDDEN", "You can charge usage only to a team you belong to", { field: "teamId", reason: "NOT_IN_TEAM" });
  }
  const budgets = await tx.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE chain(id, parent_team_id, depth) AS (
      SELECT t.id, t.parent_team_id, 1 FROM teams t WHERE t.organization_id = ${orgId}::uuid AND t.id = ${teamId}::uuid
      UNION ALL
      SELECT t.id, t.parent_team_id, c.depth + 1 FROM teams t JOIN chain c ON t.id = c.parent_team_id
       WHERE t.organization_id = ${orgId}::uuid AND c.depth < 10
    )
    SELECT b.id FROM budgets b
     WHERE b.organization_id = ${orgId}::uuid AND b.status = 'active'
       AND ((b.scope = 'organization' AND b.scope_id = ${orgId}::uuid)
         OR (b.scope = 'team' AND b.scope_id IN (SELECT id FROM chain))
         OR (b.scope = 'member' AND b.scope_id = ${memberId}::uuid)
         OR (b.scope = 'api_key' AND b.scope_id = ${apiKeyId}::uuid))
     ORDER BY b.id`;
  const calendar = { timezone: org.timezone, budgetTimezone: org.budget_timezone, budgetTimezoneUntil: org.budget_timezone_until };
  return { teamId, memberId, apiKeyId, timezone: org.timezone, calendar, currency: org.currency, budgetIds: budgets.map((b) => b.id) };
}

/** What is left on a counter (never below zero). */
export function remaining(row: Pick<CounterRow, "period_limit" | "spend" | "reserved">): bigint {
  const left = row.period_limit - row.spend - row.reserved;
  return left > 0n ? left : 0n;
}

/** The refusal of a charge that does not fit: names the tightest budget that refused it; nothing was charged. */
export function budgetExceeded(rows: CounterRow[], amount: bigint): DomainError {
  const refusing = rows.filter((r) => !r.fits).sort((a, b) => (remaining(a) < remaining(b) ? -1 : remaining(a) > remaining(b) ? 1 : 0));
  const tightest = refusing[0];
  if (!tightest) return new DomainError("PAYMENT_REQUIRED", "Budget exceeded", { reason: "BUDGET_EXCEEDED" });
  return new DomainError(
    "PAYMENT_REQUIRED",
    `The ${tightest.scope.replace("_", " ")} budget has ${remaining(tightest)} micro-units left; this needs ${amount}. Nothing was charged.`,
    {
      reason: "BUDGET_EXCEEDED",
      scope: tightest.scope,
      scopeId: tightest.scope_id,
      budgetId: tightest.budget_id,
      limit: tightest.period_limit.toString(),
      remaining: remaining(tightest).toString(),
      requested: amount.toString(),
    },
  );
}
