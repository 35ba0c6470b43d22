import type { Context } from "../../context.js";
import type { ActorAccess } from "../../rbac/access.js";
import { type Actor, type OrgServiceContext, requestMeta } from "../service-context.js";
import { loadMemberAccess } from "./member-access.js";

/**
 * The caller's access in an organization and the service context built from it, or null when
 * the caller is not a member of it (or holds another organization's key). The one place that
 * turns an identity into access: `orgProcedure` and the route handlers outside tRPC (the audit
 * export) both come through here.
 */
export async function resolveOrgAccess(
  ctx: Context & { identity: NonNullable<Context["identity"]> },
  orgId: string,
  options: { includeDeletedOrg?: boolean } = {},
): Promise<OrgServiceContext | null> {
  const { identity } = ctx;
  let access: ActorAccess;
  let actor: Actor;
  if (identity.kind === "api_key") {
    if (identity.orgId !== orgId) return null;
    access = { kind: "api_key", apiKeyId: identity.apiKeyId, scopes: identity.scopes, teamId: identity.teamId };
    actor = { type: "api_key", id: identity.apiKeyId };
  } else if (identity.kind === "personal_token") {
    // The person's access as a session would have it now (a demotion narrows the token at once),
    // capped by the token's scopes in decide(). The audit trail records the person.
    const member = await loadMemberAccess(ctx, orgId, identity.userId, { includeDeleted: options.includeDeletedOrg === true });
    if (!member) return null;
    access = { kind: "personal_token", tokenId: identity.tokenId, scopes: identity.scopes, member };
    actor = { type: "user", id: identity.userId };
  } else {
    const member = await loadMemberAccess(ctx, orgId, identity.userId, { includeDeleted: options.includeDeletedOrg === true });
    if (!member) return null;
    access = member;
    actor = { type: "user", id: identity.userId };
  }
  return {
    db: ctx.db,
    store: ctx.store,
    orgId,
    access,
    actor,
    userId: identity.kind === "api_key" ? null : identity.userId,
    request: requestMeta(ctx),
  };
}
