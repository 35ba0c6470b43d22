import type { SpendContext } from "../budgets/context.js";
import type { UsageSubject } from "../budgets/path.js";
import type { OrgServiceContext } from "../service-context.js";
import type { ChargeInput } from "./pricing.js";

/** Whom a call of the `usage` router charges: an API key (its team from the key), or the person and the team they name. */
export function subjectOf(ctx: OrgServiceContext, input: { teamId?: string | null }): UsageSubject {
  const access = ctx.access;
  if (access.kind === "api_key") return { apiKeyId: access.apiKeyId };
  const memberId = access.kind === "member" ? access.memberId : access.member.memberId;
  return { memberId, teamId: input.teamId ?? null };
}

/** The wire's charge (decimal strings, token counts) as the services take it (bigints). */
export function chargeOf(input: { model?: string; cost?: string; inputTokens?: number; outputTokens?: number }): ChargeInput {
  return {
    model: input.model ?? null,
    cost: input.cost === undefined ? null : BigInt(input.cost),
    inputTokens: input.inputTokens === undefined ? null : BigInt(input.inputTokens),
    outputTokens: input.outputTokens === undefined ? null : BigInt(input.outputTokens),
  };
}

export function spendContext(ctx: OrgServiceContext): SpendContext {
  return { db: ctx.db, orgId: ctx.orgId };
}
