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
