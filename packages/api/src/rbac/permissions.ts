/**
 * The permission catalogue: the one list the server check, the console's gating and the docs
 * read. `teamScoped` permissions can also come from leading the target team or an ancestor.
 */
export const PERMISSION_CATALOGUE = {
  "org:read": { description: "See the organization and its settings", teamScoped: false },
  "org:update": { description: "Change the organization's name, settings and plan", teamScoped: false },
  "org:delete": { description: "Delete and restore the organization", teamScoped: false },
  "org:transfer": { description: "Transfer ownership of the organization", teamScoped: false },
  "member:read": { description: "List members and their roles", teamScoped: false },
  "member:invite": { description: "Invite people and manage pending invitations", teamScoped: false },
  "member:remove": { description: "Remove members", teamScoped: false },
  "member:update_role": { description: "Change members' roles", teamScoped: false },
  "member:update_permissions": { description: "Grant or deny individual permissions to members", teamScoped: false },
  "team:read": { description: "See teams and their members", teamScoped: false },
  "team:create": { description: "Create teams (team leads: sub-teams of their teams)", teamScoped: true },
  "team:update": { description: "Rename, describe and move teams", teamScoped: true },
  "team:delete": { description: "Delete teams", teamScoped: false },
  "team:manage_members": { description: "Add and remove team members and change team roles", teamScoped: true },
  "budget:read": { description: "See budgets and spend", teamScoped: false },
  "budget:write": { description: "Create and change budgets and alerts", teamScoped: false },
  "api_key:read": { description: "List API keys (never their secrets)", teamScoped: false },
  "api_key:write": { description: "Create, rotate and revoke API keys", teamScoped: false },
  "usage:read": { description: "See usage and costs", teamScoped: false },
  "usage:write": { description: "Record usage and reserve budget (gateways)", teamScoped: false },
  "audit:read": { description: "Read the audit log", teamScoped: false },
} as const satisfies Record<string, { description: string; teamScoped: boolean }>;

export type Permission = keyof typeof PERMISSION_CATALOGUE;

export const PERMISSIONS = Object.keys(PERMISSION_CATALOGUE) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSION_CATALOGUE, value);
}

export function isTeamScoped(permission: Permission): boolean {
  return PERMISSION_CATALOGUE[permission].teamScoped;
}

/**
 * What a team-bound API key may use without a target team: reading, and recording usage (which
 * is attributed to its team). Every other permission that is not team-scoped changes the whole
 * organization, so such a key never holds it, whatever its scopes; team-scoped permissions it
 * holds only on its team and the teams below.
 */
export const TEAM_BOUND_KEY_ORG_WIDE: readonly Permission[] = [
  "org:read",
  "member:read",
  "team:read",
  "budget:read",
  "usage:read",
  "usage:write",
  "api_key:read",
  "audit:read",
];
