import type { TenantTransaction } from "@aihub/db";
import { DomainError } from "../../errors.js";
import { type MemberRole, memberActionRefusal } from "../../rbac/roles.js";
import type { OrgServiceContext } from "../service-context.js";

/**
 * Locks the organization's owner rows for the rest of the transaction and returns their ids.
 * Every change that can take away an owner (role change, removal, leaving, ownership transfer)
 * takes this lock first and in the same order, so last-owner checks cannot race or deadlock.
 */
export async function lockOwners(tx: TenantTransaction, orgId: string): Promise<string[]> {
  const owners = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM members WHERE organization_id = ${orgId}::uuid AND role = 'owner' ORDER BY id FOR UPDATE`;
  return owners.map((o) => o.id);
}

/**
 * Refuses when the actor may not act on a member with `targetRole` (the rule shared with the
 * console: only owners touch owners, nobody touches someone who outranks them). An API key has
 * no rank: it never touches an owner.
 */
export function assertMayActOnMember(ctx: OrgServiceContext, targetRole: MemberRole, what: string): void {
  const refusal =
    ctx.access.kind === "member" ? memberActionRefusal(ctx.access.role, targetRole) : targetRole === "owner" ? "OWNER_PROTECTED" : null;
  if (refusal === "OWNER_PROTECTED") throw new DomainError("FORBIDDEN", `Only an owner can ${what} an owner`, { reason: refusal });
  if (refusal === "OUTRANKED") throw new DomainError("FORBIDDEN", `You cannot ${what} someone who outranks you`, { reason: refusal });
}
