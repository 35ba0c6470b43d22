/**
 * What each restricted tab of an organization needs (any one of the listed permissions). Read by
 * the pages, which answer 403 without it, and by the 403 page, which names what is missing.
 */
export const TAB_PERMISSIONS = {
  audit: ["audit:read"],
  "api-keys": ["api_key:read"],
  budgets: ["budget:read"],
  usage: ["usage:read"],
  invitations: ["member:invite"],
  settings: ["org:update", "org:delete", "org:transfer"],
  "member-permissions": ["member:update_permissions"],
} as const satisfies Record<string, readonly string[]>;

export type RestrictedTab = keyof typeof TAB_PERMISSIONS;

/** The restricted tab a path under /orgs/<slug>/ shows, if any. */
export function restrictedTabOf(pathname: string): RestrictedTab | null {
  const [, orgs, , section, , leaf] = pathname.split("/");
  if (orgs !== "orgs" || !section) return null;
  if (section === "members") return leaf === "permissions" ? "member-permissions" : null;
  return Object.hasOwn(TAB_PERMISSIONS, section) ? (section as RestrictedTab) : null;
}

export function grantsTab(granted: readonly string[], tab: RestrictedTab): boolean {
  return TAB_PERMISSIONS[tab].some((permission) => granted.includes(permission));
}
