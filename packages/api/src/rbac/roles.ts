import { isTeamScoped, PERMISSIONS, type Permission } from "./permissions.js";

export const MEMBER_ROLES = ["owner", "admin", "member", "viewer"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Higher outranks lower; nobody grants a role above their own. */
export const ROLE_RANK = { viewer: 0, member: 1, admin: 2, owner: 3 } as const satisfies Record<MemberRole, number>;

const VIEWER = ["org:read", "member:read", "team:read", "budget:read", "usage:read"] as const satisfies readonly Permission[];
const MEMBER = [...VIEWER, "api_key:read", "usage:write"] as const satisfies readonly Permission[];
const OWNER_ONLY = ["org:delete", "org:transfer"] as const satisfies readonly Permission[];

/** What each organization role may do. Admins: everything except deleting and transferring the org. */
export const ROLE_PERMISSIONS = {
  owner: PERMISSIONS,
  admin: PERMISSIONS.filter((p) => !(OWNER_ONLY as readonly Permission[]).includes(p)),
  member: MEMBER,
  viewer: VIEWER,
} as const satisfies Record<MemberRole, readonly Permission[]>;

/**
 * What a personal access token may be given (the console's checkboxes read this list): every
 * permission except the owner-only ones, so no token ever deletes, restores or transfers an
 * organization. In each organization a token also holds no more than its person does there.
 */
export const PERSONAL_TOKEN_SCOPES: readonly Permission[] = PERMISSIONS.filter((p) => !(OWNER_ONLY as readonly Permission[]).includes(p));

/**
 * What leading a team adds, on that team and every team below it: managing its membership and
 * settings and creating sub-teams.
 */
export const TEAM_LEAD_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter(isTeamScoped);

export function roleGrants(role: MemberRole, permission: Permission): boolean {
  return (ROLE_PERMISSIONS[role] as readonly Permission[]).includes(permission);
}

export function outranks(a: MemberRole, b: MemberRole): boolean {
  return ROLE_RANK[a] > ROLE_RANK[b];
}

export function atLeast(a: MemberRole, b: MemberRole): boolean {
  return ROLE_RANK[a] >= ROLE_RANK[b];
}

/** The roles someone with `own` may hand out (invite with, promote to): never above their own. */
export function assignableRoles(own: MemberRole): MemberRole[] {
  return MEMBER_ROLES.filter((role) => atLeast(own, role));
}

/**
 * Why a member with role `actor` may not act on a member with role `target` (change their role
 * or permissions, remove them), or null when they may: only owners touch owners, and nobody
 * touches someone who outranks them. Server and console read this one rule.
 */
export function memberActionRefusal(actor: MemberRole, target: MemberRole): "OWNER_PROTECTED" | "OUTRANKED" | null {
  if (target === "owner" && actor !== "owner") return "OWNER_PROTECTED";
  if (!atLeast(actor, target)) return "OUTRANKED";
  return null;
}

export const TEAM_ROLES = ["lead", "member"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
