import type { TenantClient } from "@aihub/db";
import { TRPCError } from "@trpc/server";
import type { Identity } from "../context.js";
import type { ActorAccess } from "../rbac/access.js";
import { loadMemberAccess } from "../services/access/member-access.js";
import { middleware } from "../trpc.js";

/** Who acts inside the organization, as the audit trail records them. */
export type OrgActor = { type: "user"; userId: string; memberId: string } | { type: "api_key"; apiKeyId: string };

const orgNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Organization not found" });

/**
 * Guarantees: `ctx.org` holds the input's `orgId`, the caller's access in it (role, overrides,
 * led teams — or an API key's scopes) and the actor; `ctx.tenant` is a client scoped to that
 * org (and user), so everything read through it is under row-level security. A caller who is
 * not a member, or a key of another org, gets NOT_FOUND: the org's existence is not revealed.
 */
export const resolveOrg = middleware(async ({ ctx, input, meta, next }) => {
  const identity = ctx.identity as Identity | null;
  if (!identity) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in or present an API key" });
  const orgId = (input as { orgId: string }).orgId;

  let access: ActorAccess;
  let actor: OrgActor;
  if (identity.kind === "api_key") {
    if (identity.orgId !== orgId) throw orgNotFound();
    access = { kind: "api_key", apiKeyId: identity.apiKeyId, scopes: identity.scopes };
    actor = { type: "api_key", apiKeyId: identity.apiKeyId };
  } else {
    const member = await loadMemberAccess(ctx, orgId, identity.userId, { includeDeleted: meta?.includeDeletedOrg === true });
    if (!member) throw orgNotFound();
    access = member;
    actor = { type: "user", userId: identity.userId, memberId: member.memberId };
  }
  const userId = identity.kind === "user" ? identity.userId : null;
  return next({
    ctx: {
      org: { orgId, access, actor },
      tenant: ctx.db.forTenant({ orgId, userId }) as TenantClient,
    },
  });
});
