import { TRPCError } from "@trpc/server";
import { type ActorAccess, decide } from "../rbac/access.js";
import { isTeamScoped } from "../rbac/permissions.js";
import { ZId } from "../schemas/common.js";
import { loadTeamParents } from "../services/access/member-access.js";
import { middleware } from "../trpc.js";

/**
 * Guarantees: the caller holds the procedure's declared permission in `ctx.org` — by role,
 * grant, API-key scope or, for team-scoped permissions, by leading the target team or an
 * ancestor — else FORBIDDEN. A team-bound key holds team-scoped permissions only on its team's
 * subtree and, of the rest, only reads and `usage:write`. A personal access token holds what its
 * person holds that is also in its scopes. A target team that is not in the org is NOT_FOUND. A procedure
 * without a declared permission is refused (fail closed) and fails the authorization matrix.
 * `apiKeys: false` keeps a procedure for signed-in people: it refuses every API credential,
 * organization keys and personal access tokens alike (one rule).
 */
export const enforcePermission = middleware(async ({ ctx, meta, getRawInput, next }) => {
  const { org } = ctx as typeof ctx & { org: { orgId: string; access: ActorAccess } };
  if (meta?.access === "member") {
    if (org.access.kind !== "member")
      throw new TRPCError({ code: "FORBIDDEN", message: "This call needs a signed-in member, not an API key or access token" });
    return next();
  }
  const permission = meta?.permission;
  if (!permission) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Procedure declares no permission" });
  if (meta.apiKeys === false && org.access.kind !== "member") {
    throw new TRPCError({ code: "FORBIDDEN", message: "API keys and access tokens cannot do this, whatever their scopes" });
  }

  let teamId: string | null = null;
  let teamParents: Map<string, string | null> | undefined;
  // People (by session or token) may hold a team-scoped permission by leading the team; a team-bound key only inside its team.
  if (isTeamScoped(permission) && (org.access.kind !== "api_key" || org.access.teamId)) {
    const raw = (await getRawInput()) as Record<string, unknown> | undefined;
    const candidate = raw?.[meta.teamInput ?? "teamId"];
    if (candidate != null) {
      const parsed = ZId.safeParse(candidate);
      if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid team id", cause: parsed.error });
      teamParents = new Map(await loadTeamParents(ctx, org.orgId));
      // A team newer than the cached tree: ask the database before calling it missing.
      if (!teamParents.has(parsed.data)) teamParents = new Map(await loadTeamParents(ctx, org.orgId, { fresh: true }));
      if (!teamParents.has(parsed.data)) throw new TRPCError({ code: "NOT_FOUND", message: "Team not found" });
      teamId = parsed.data;
    }
  }
  const decision = decide(org.access, permission, { teamId, teamParents });
  if (!decision.allowed) throw new TRPCError({ code: "FORBIDDEN", message: `Missing permission ${permission}` });
  return next();
});
