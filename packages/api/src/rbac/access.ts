import { isTeamScoped, PERMISSIONS, type Permission, TEAM_BOUND_KEY_ORG_WIDE } from "./permissions.js";
import { type MemberRole, roleGrants } from "./roles.js";

export interface PermissionOverride {
  permission: Permission;
  effect: "grant" | "deny";
  expiresAt: Date | null;
}

/** Everything that decides a member's access, loaded once per member and cached. */
export interface MemberAccess {
  kind: "member";
  memberId: string;
  role: MemberRole;
  overrides: PermissionOverride[];
  /** Teams this member leads (not their descendants: those are found through the tree). */
  ledTeamIds: string[];
}

/** An organization API key's access: its scopes, capped by its creator's permissions, and its team binding. */
export interface ApiKeyAccess {
  kind: "api_key";
  apiKeyId: string;
  scopes: Permission[];
  /** A team-bound key acts only on this team and the teams below it (see `decide`). */
  teamId?: string | null;
}

/**
 * A personal access token in an organization: its person's access there (exactly as a session
 * would have it, read afresh), intersected with the token's scopes.
 */
export interface PersonalTokenAccess {
  kind: "personal_token";
  tokenId: string;
  scopes: Permission[];
  member: MemberAccess;
}

export type ActorAccess = MemberAccess | ApiKeyAccess | PersonalTokenAccess;

/** team id → parent team id (null at the top), for the organization in question. */
export type TeamParents = ReadonlyMap<string, string | null>;

export type Reason =
  | { kind: "role"; role: MemberRole; grants: boolean }
  | { kind: "team_lead"; teamId: string; viaTeamId: string }
  | { kind: "grant"; expiresAt: Date | null }
  | { kind: "expired_grant"; expiredAt: Date }
  | { kind: "deny" }
  | { kind: "scope"; grants: boolean }
  | { kind: "team_required" }
  | { kind: "key_team"; teamId: string; grants: boolean };

export interface Decision {
  allowed: boolean;
  /** Why, in the order they were weighed; the last one decided. */
  reasons: Reason[];
}

function activeOverride(access: MemberAccess, permission: Permission, effect: "grant" | "deny", now: Date) {
  return access.overrides.find((o) => o.permission === permission && o.effect === effect && (o.expiresAt === null || o.expiresAt > now));
}

/** The team itself, then its parent, up to the top (guarded against a corrupt cycle). */
export function teamAndAncestors(teamId: string, parents: TeamParents): string[] {
  const chain: string[] = [];
  let current: string | null | undefined = teamId;
  while (current && !chain.includes(current) && chain.length < 16) {
    chain.push(current);
    current = parents.get(current);
  }
  return chain;
}

/**
 * Decides one permission for one actor. Order: a deny wins over everything; then the role, an
 * unexpired grant, and (for team-scoped permissions with a target team) leading that team or
 * an ancestor. An API key has exactly its scopes; a team-bound key, in addition, holds a
 * team-scoped permission only with a target team inside its team's subtree, and of the others
 * only reading and recording usage (`TEAM_BOUND_KEY_ORG_WIDE`). A personal access token holds a
 * permission when it is in its scopes and its person holds it (role, grants, denies, team leads).
 */
export function decide(
  access: ActorAccess,
  permission: Permission,
  options: { teamId?: string | null; teamParents?: TeamParents; now?: Date } = {},
): Decision {
  if (access.kind === "api_key") {
    const grants = access.scopes.includes(permission);
    const reasons: Reason[] = [{ kind: "scope", grants }];
    if (!grants || !access.teamId) return { allowed: grants, reasons };
    const inTeam = isTeamScoped(permission)
      ? !!options.teamId && teamAndAncestors(options.teamId, options.teamParents ?? new Map()).includes(access.teamId)
      : TEAM_BOUND_KEY_ORG_WIDE.includes(permission);
    return { allowed: inTeam, reasons: [...reasons, { kind: "key_team", teamId: access.teamId, grants: inTeam }] };
  }
  if (access.kind === "personal_token") {
    const grants = access.scopes.includes(permission);
    if (!grants) return { allowed: false, reasons: [{ kind: "scope", grants }] };
    const asPerson = decide(access.member, permission, options);
    return { allowed: asPerson.allowed, reasons: [{ kind: "scope", grants }, ...asPerson.reasons] };
  }
  const now = options.now ?? new Date();
  const reasons: Reason[] = [];
  if (activeOverride(access, permission, "deny", now)) return { allowed: false, reasons: [{ kind: "deny" }] };

  const byRole = roleGrants(access.role, permission);
  reasons.push({ kind: "role", role: access.role, grants: byRole });
  if (byRole) return { allowed: true, reasons };

  const grant = activeOverride(access, permission, "grant", now);
  if (grant) return { allowed: true, reasons: [...reasons, { kind: "grant", expiresAt: grant.expiresAt }] };
  const expired = access.overrides.find(
    (o) => o.permission === permission && o.effect === "grant" && o.expiresAt !== null && o.expiresAt <= now,
  );
  if (expired?.expiresAt) reasons.push({ kind: "expired_grant", expiredAt: expired.expiresAt });

  if (isTeamScoped(permission)) {
    if (!options.teamId) {
      reasons.push({ kind: "team_required" });
    } else {
      const chain = teamAndAncestors(options.teamId, options.teamParents ?? new Map());
      const led = chain.find((id) => access.ledTeamIds.includes(id));
      if (led) return { allowed: true, reasons: [...reasons, { kind: "team_lead", teamId: options.teamId, viaTeamId: led }] };
    }
  }
  return { allowed: false, reasons };
}

/** Every permission the actor holds organization-wide (team-lead rights need a team, so are not listed). */
export function effectivePermissions(access: ActorAccess, now = new Date()): Permission[] {
  return PERMISSIONS.filter((p) => decide(access, p, { now }).allowed);
}

/** Team-scoped permissions the actor holds on one team (lead inheritance included). */
export function teamPermissions(access: ActorAccess, teamId: string, teamParents: TeamParents, now = new Date()): Permission[] {
  return PERMISSIONS.filter((p) => decide(access, p, { teamId, teamParents, now }).allowed);
}

/**
 * Nobody grants beyond their own permissions: a granter may grant (or deny) only what they
 * hold themselves. Also caps an API key's scopes at creation.
 */
export function withinOwnPermissions(
  granter: ActorAccess,
  requested: Permission[],
  now = new Date(),
): { ok: boolean; beyond: Permission[] } {
  const own = new Set(effectivePermissions(granter, now));
  const beyond = requested.filter((p) => !own.has(p));
  return { ok: beyond.length === 0, beyond };
}
