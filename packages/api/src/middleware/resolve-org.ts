import { TRPCError } from "@trpc/server";
import type { Identity } from "../context.js";
import type { ActorAccess } from "../rbac/access.js";
import { loadMemberAccess } from "../services/access/member-access.js";
import { type Actor, type OrgServiceContext, requestMeta } from "../services/service-context.js";
import { middleware } from "../trpc.js";

const orgNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Organization not found" });

/**
 * Guarantees: `ctx.org` holds the input's `orgId` and the caller's access in it (role,
 * overrides, led teams — or an API key's scopes), and `ctx.service` is the service context
 * every organization service takes (built here, once). A caller who is not a member, or a key
 * of another org, gets NOT_FOUND: the org's existence is not revealed.
 */
export const resolveOrg = middleware(async ({ ctx, input, meta, next }) => {
  const identity = ctx.identity as Identity | null;
  if (!identity) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in or present an API key" });
  const orgId = (input as { orgId: string }).orgId;

  let access: ActorAccess;
  let actor: Actor;
  if (identity.kind === "api_key") {
    if (identity.orgId !== orgId) throw orgNotFound();
    access = { kind: "api_key", apiKeyId: identity.apiKeyId, scopes: identity.scopes };
    actor = { type: "api_key", id: identity.apiKeyId };
  } else {
    const member = await loadMemberAccess(ctx, orgId, identity.userId, { includeDeleted: meta?.includeDeletedOrg === true });
    if (!member) throw orgNotFound();
    access = member;
    actor = { type: "user", id: identity.userId };
  }
  const service: OrgServiceContext = {
    db: ctx.db,
    store: ctx.store,
    orgId,
    access,
    actor,
    userId: identity.kind === "user" ? identity.userId : null,
    request: requestMeta(ctx),
  };
  return next({ ctx: { org: { orgId, access }, service } });
});
