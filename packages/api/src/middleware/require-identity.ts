import { TRPCError } from "@trpc/server";
import { requestMeta, type UserServiceContext } from "../services/service-context.js";
import { middleware } from "../trpc.js";

/** Guarantees: `ctx.identity` is present (a user or an API key), else UNAUTHORIZED. */
export const requireIdentity = middleware(({ ctx, next }) => {
  if (!ctx.identity) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in or present an API key" });
  return next({ ctx: { identity: ctx.identity } });
});

/**
 * Guarantees: `ctx.user.userId` is a signed-in user, and `ctx.service` the context the user's
 * services take. An API key is a valid identity but not a person, so it gets FORBIDDEN here
 * (these procedures are about the caller's own account). A personal access token acts as its
 * person only where the procedure says so (`personalTokens: true`: creating an organization,
 * listing one's own); everywhere else FORBIDDEN, so a stolen token never changes the password,
 * signs the person out, or mints, lists or revokes tokens (fail closed for new procedures).
 */
export const requireUser = middleware(({ ctx, meta, next }) => {
  if (!ctx.identity) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  const identity = ctx.identity;
  const tokenRefused = identity.kind === "personal_token" && !(meta?.access === "authenticated" && meta.personalTokens === true);
  if (identity.kind === "api_key" || tokenRefused) {
    throw new TRPCError({ code: "FORBIDDEN", message: "This call needs a signed-in user, not an API key or access token" });
  }
  const userId = identity.userId;
  const service: UserServiceContext = { db: ctx.db, store: ctx.store, userId, request: requestMeta(ctx) };
  return next({ ctx: { user: { userId }, service } });
});
