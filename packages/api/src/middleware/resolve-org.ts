import { TRPCError } from "@trpc/server";
import type { Identity } from "../context.js";
import { resolveOrgAccess } from "../services/access/org-access.js";
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
  const service = await resolveOrgAccess({ ...ctx, identity }, orgId, { includeDeletedOrg: meta?.includeDeletedOrg === true });
  if (!service) throw orgNotFound();
  return next({ ctx: { org: { orgId, access: service.access }, service } });
});
