/**
 * The authorization oracle: who may call what, written out by hand from SPEC §4 and
 * docs/authorization.md. It is deliberately NOT computed from `decide()`, the role table or
 * the procedures' declarations — those are what it checks. A new procedure, or a changed
 * rule, means editing a row here by hand (the matrix fails for a procedure without a row).
 *
 * Roles (SPEC §4.1/4.2, docs "Roles and permissions"):
 *   owner  everything
 *   admin  everything except org:delete and org:transfer
 *   member org:read member:read team:read budget:read usage:read api_key:read usage:write
 *   viewer org:read member:read team:read budget:read usage:read
 *   a team lead adds team:create team:update team:manage_members on the team they lead and
 *   every team below it.
 * API keys hold exactly their scopes, and never pass a procedure kept for people
 * (`apiKeys: false`: deleting/restoring the org, transferring it, roles, overrides,
 * membership, sending invitations, creating/changing/rotating API keys) nor one about a
 * person's own account.
 * A team-bound key (all scopes, bound to the target team) holds, besides its scopes' limits,
 * the team-scoped permissions (team:create, team:update, team:manage_members) only on the target
 * team and below, and of the rest only org:read member:read team:read budget:read usage:read
 * usage:write api_key:read audit:read.
 * A personal access token is its person held to its scopes: in the org it holds what the person
 * holds (role, leads) AND its scopes include; it never passes `apiKeys: false` nor a procedure
 * kept for members (leaving) nor one about the person's own account (password, sessions, email,
 * tokens, notifications, invitations); of the person's calls it may only create an organization
 * and list the person's organizations. Its scopes never include org:delete or org:transfer.
 * Here: the owner's token with every allowed scope (everything but org:delete, org:transfer),
 * and a plain member's token with org:read, team:read and team:update (the last one beyond the
 * member's role, so never usable).
 */

/** The permission catalogue, literally (pinned against the code in rbac/role-table.test.ts). */
export const CATALOGUE = [
  "org:read",
  "org:update",
  "org:delete",
  "org:transfer",
  "member:read",
  "member:invite",
  "member:remove",
  "member:update_role",
  "member:update_permissions",
  "team:read",
  "team:create",
  "team:update",
  "team:delete",
  "team:manage_members",
  "budget:read",
  "budget:write",
  "api_key:read",
  "api_key:write",
  "usage:read",
  "usage:write",
  "audit:read",
] as const;
export type CataloguePermission = (typeof CATALOGUE)[number];

/**
 * Every kind of caller, in the order of the table's columns. Team relations are to the
 * procedure's target team (world.targetTeamId, under world.parentTeamId, next to
 * world.siblingTeamId); all four team people are org members with the `member` role.
 */
export const CALLER_KINDS = [
  "owner",
  "admin",
  "member",
  "viewer",
  "leadOfTarget",
  "leadOfAncestor",
  "leadOfSibling",
  "teamMember",
  "nonMember",
  "foreignOwner",
  "keyExactScope",
  "keyAllScopes",
  "keyAllButNeeded",
  "keyTeamBound",
  "tokenOwner",
  "tokenMember",
  "anonymous",
] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

export type Expected = "ok" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND";
const OK = "ok";
const F = "FORBIDDEN";
const NF = "NOT_FOUND";
const U = "UNAUTHORIZED";

type Outcomes = readonly [
  owner: Expected,
  admin: Expected,
  member: Expected,
  viewer: Expected,
  leadOfTarget: Expected,
  leadOfAncestor: Expected,
  leadOfSibling: Expected,
  teamMember: Expected,
  nonMember: Expected,
  foreignOwner: Expected,
  keyExactScope: Expected,
  keyAllScopes: Expected,
  keyAllButNeeded: Expected,
  keyTeamBound: Expected,
  tokenOwner: Expected,
  tokenMember: Expected,
  anonymous: Expected,
];

export interface OracleRow {
  /** The scope an API key needs for this call (null: none would do, or none is needed). */
  scope: CataloguePermission | null;
  outcomes: Outcomes;
}

const row = (scope: CataloguePermission | null, outcomes: Outcomes): OracleRow => ({ scope, outcomes });

/**
 * procedure path (or "path › variant" for a second target of the same procedure) → outcome
 * per caller. Columns:
 *   owner admin member viewer | lead of target, of its parent, of its sibling, plain team member |
 *   non-member, another org's owner | key with exactly the scope, with all scopes, with all but it |
 *   team-bound key (all scopes, target team) | owner's token (all allowed scopes), member's token (narrow) | anonymous
 */
export const ORACLE: Record<string, OracleRow> = {
  //                                                  own adm mem vie  lTg lAn lSi tMe  non frn  kEx kAl kBu  kTB tOw tMb  anon
  health: row(null, /*                              */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK]),

  // Accounts: public ones for anyone (keys included); the caller's own account for people only
  // (signed in: a personal access token may only create an organization and list the person's).
  "account.signUp": row(null, /*                    */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK]),
  "account.requestPasswordReset": row(null, /*      */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK]),
  "account.resetPassword": row(null, /*             */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK]),
  "account.verifyEmail": row(null, /*               */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK]),
  "account.requestEmailVerification": row(null, /*  */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),
  "account.changePassword": row(null, /*            */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),
  "account.signOutEverywhere": row(null, /*         */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),
  "account.setLocale": row(null, /*                 */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),
  "me.get": row(null, /*                            */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),
  "me.permissions": row(null, /*                    */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),
  "notification.list": row(null, /*                 */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),
  "notification.markRead": row(null, /*             */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),
  "organization.create": row(null, /*               */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, OK, OK, U]),
  "organization.listMine": row(null, /*             */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, OK, OK, U]),
  // Deleted organizations the person owns (restoring is for signed-in owners, never a token).
  "organization.listDeleted": row(null, /*          */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),
  // An invitation link's preview: anyone holding its token, signed in or not.
  "invitation.preview": row(null, /*                */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK]),
  "invitation.accept": row(null, /*                 */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),

  // The organization.
  "organization.get": row("org:read", /*            */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, OK, U]),
  "organization.update": row("org:update", /*       */ [OK, OK, F, F, F, F, F, F, NF, NF, OK, OK, F, F, OK, F, U]),
  "organization.delete": row("org:delete", /*       */ [OK, F, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "organization.restore": row("org:delete", /*      */ [OK, F, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "organization.transferOwnership": row("org:transfer", [OK, F, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),

  // People: never by API key.
  "member.list": row("member:read", /*              */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  "member.updateRole": row("member:update_role", /* */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "member.setPermissionOverride": row("member:update_permissions", [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "member.removePermissionOverride": row("member:update_permissions", [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "member.remove": row("member:remove", /*          */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "member.leave": row(null, /*                      */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, F, F, F, F, F, F, U]),
  "permission.explain": row("member:update_permissions", [OK, OK, F, F, F, F, F, F, NF, NF, OK, OK, F, F, OK, F, U]),
  // Effective permissions of the lead of the target's parent (world.users.targetLead): that person
  // about themselves, owners and admins about anyone; members only, never a key or a token.
  "permission.explainAll": row(null, /*             */ [OK, OK, F, F, F, OK, F, F, NF, NF, F, F, F, F, F, F, U]),

  // Invitations: sending and resending mail is for people; listing and revoking also for keys.
  "invitation.create": row("member:invite", /*      */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "invitation.list": row("member:invite", /*        */ [OK, OK, F, F, F, F, F, F, NF, NF, OK, OK, F, F, OK, F, U]),
  "invitation.revoke": row("member:invite", /*      */ [OK, OK, F, F, F, F, F, F, NF, NF, OK, OK, F, F, OK, F, U]),
  "invitation.resend": row("member:invite", /*      */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),

  // Teams: leads of the target or an ancestor manage it; a sibling's lead and a plain member do not.
  "team.list": row("team:read", /*                  */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, OK, U]),
  "team.get": row("team:read", /*                   */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, OK, U]),
  "team.create": row("team:create", /*              */ [OK, OK, F, F, OK, OK, F, F, NF, NF, OK, OK, F, OK, OK, F, U]),
  "team.update": row("team:update", /*              */ [OK, OK, F, F, OK, OK, F, F, NF, NF, OK, OK, F, OK, OK, F, U]),
  // A sub-team of the target moved up under the parent: the target's own lead does not lead the destination.
  "team.move": row("team:update", /*                */ [OK, OK, F, F, F, OK, F, F, NF, NF, OK, OK, F, F, OK, F, U]),
  // team:delete is not a team-lead permission.
  "team.delete": row("team:delete", /*              */ [OK, OK, F, F, F, F, F, F, NF, NF, OK, OK, F, F, OK, F, U]),
  "team.addMember": row("team:manage_members", /*   */ [OK, OK, F, F, OK, OK, F, F, NF, NF, OK, OK, F, OK, OK, F, U]),
  "team.removeMember": row("team:manage_members", /**/ [OK, OK, F, F, OK, OK, F, F, NF, NF, OK, OK, F, OK, OK, F, U]),
  "team.updateMemberRole": row("team:manage_members", [OK, OK, F, F, OK, OK, F, F, NF, NF, OK, OK, F, OK, OK, F, U]),

  // The audit log: read by owners, admins and keys with audit:read; its retention (when events
  // are deleted) is the owner's alone, never a key's.
  "audit.list": row("audit:read", /*                */ [OK, OK, F, F, F, F, F, F, NF, NF, OK, OK, F, OK, OK, F, U]),
  "audit.get": row("audit:read", /*                 */ [OK, OK, F, F, F, F, F, F, NF, NF, OK, OK, F, OK, OK, F, U]),
  "audit.verify": row("audit:read", /*              */ [OK, OK, F, F, F, F, F, F, NF, NF, OK, OK, F, OK, OK, F, U]),
  "audit.setRetention": row("org:delete", /*        */ [OK, F, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),

  // API keys: members and up read them (never their secrets), admins and owners change them.
  // A key never creates, changes or rotates a key (a leaked key must not outlive its own
  // revocation); a key with api_key:write may revoke one.
  "apiKey.list": row("api_key:read", /*             */ [OK, OK, OK, F, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  "apiKey.get": row("api_key:read", /*              */ [OK, OK, OK, F, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  "apiKey.create": row("api_key:write", /*          */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "apiKey.update": row("api_key:write", /*          */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "apiKey.rotate": row("api_key:write", /*          */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "apiKey.revoke": row("api_key:write", /*          */ [OK, OK, F, F, F, F, F, F, NF, NF, OK, OK, F, F, OK, F, U]),

  // Personal access tokens: the signed-in person's own, by session only (no key, no token).
  "personalToken.create": row(null, /*              */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),
  "personalToken.list": row(null, /*                */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),
  "personalToken.revoke": row(null, /*              */ [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, F, F, F, F, F, F, U]),

  // Budgets: everyone in the organization reads them; admins and owners set them, never a key or
  // a token (a key must not raise the limit that caps its own spending).
  "budget.get": row("budget:read", /*               */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  "budget.list": row("budget:read", /*              */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  "budget.set": row("budget:write", /*              */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  // The price list: read with budgets, changed by admins and owners, never by a key or a token.
  "price.list": row("budget:read", /*              */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  "price.set": row("budget:write", /*              */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "price.remove": row("budget:write", /*           */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  // Provider connections: every member and reader sees them (never the credential); owners and admins change them, people only.
  "provider.list": row("org:read", /*               */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, OK, U]),
  "provider.create": row("org:update", /*           */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "provider.update": row("org:update", /*           */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "provider.delete": row("org:update", /*           */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "provider.testConnection": row("org:update", /*   */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "budget.tree": row("budget:read", /*             */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  // Alerts are read like budgets (keys too); their channels are for people: everyone who sees
  // budgets lists them, admins and owners change and test them — never a key or a token.
  "alert.list": row("budget:read", /*              */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  "alert.listChannels": row("budget:read", /*      */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, F, F, F, F, F, F, U]),
  "alert.createChannel": row("budget:write", /*    */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "alert.updateChannel": row("budget:write", /*    */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "alert.deleteChannel": row("budget:write", /*    */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "alert.testChannel": row("budget:write", /*      */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  // Increase requests are between people: anyone who sees budgets may ask (and list or withdraw
  // their own); admins and owners decide. Never a key or a token.
  "budget.requestIncrease": row("budget:read", /*  */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, F, F, F, F, F, F, U]),
  "budget.listIncreaseRequests": row("budget:read", [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, F, F, F, F, F, F, U]),
  "budget.cancelIncreaseRequest": row("budget:read", [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, F, F, F, F, F, F, U]),
  "budget.decideIncrease": row("budget:write", /*  */ [OK, OK, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),

  // Usage: checking is budget:read; reserving, settling, releasing and recording are usage:write
  // (members and up, and keys with the scope, team-bound ones included), never a viewer.
  "usage.checkBudget": row("budget:read", /*        */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  "usage.reserve": row("usage:write", /*            */ [OK, OK, OK, F, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  "usage.settle": row("usage:write", /*             */ [OK, OK, OK, F, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  "usage.release": row("usage:write", /*            */ [OK, OK, OK, F, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  "usage.record": row("usage:write", /*             */ [OK, OK, OK, F, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  // Usage and costs: everyone in the organization reads them (viewers too), keys with usage:read.
  "usage.summary": row("usage:read", /*             */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),
  "usage.breakdown": row("usage:read", /*           */ [OK, OK, OK, OK, OK, OK, OK, OK, NF, NF, OK, OK, F, OK, OK, F, U]),

  // Second targets of the same procedures (fixtures in testing/matrix-variants.ts).
  "member.updateRole › demote an owner": row("member:update_role", [OK, F, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "member.updateRole › promote to owner": row("member:update_role", [OK, F, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "member.remove › an owner": row("member:remove", /* */ [OK, F, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "member.setPermissionOverride › on an owner": row("member:update_permissions", [OK, F, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "invitation.resend › an owner's invitation": row("member:invite", [OK, F, F, F, F, F, F, F, NF, NF, F, F, F, F, F, F, U]),
  "team.create › under the sibling": row("team:create", [OK, OK, F, F, F, OK, OK, F, NF, NF, OK, OK, F, F, OK, F, U]),
  "team.update › the parent": row("team:update", /* */ [OK, OK, F, F, F, OK, F, F, NF, NF, OK, OK, F, F, OK, F, U]),
  "team.move › within the target's subtree": row("team:update", [OK, OK, F, F, OK, OK, F, F, NF, NF, OK, OK, F, OK, OK, F, U]),
  "team.move › into the sibling's subtree": row("team:update", [OK, OK, F, F, F, OK, F, F, NF, NF, OK, OK, F, F, OK, F, U]),
  "team.addMember › to the sibling": row("team:manage_members", [OK, OK, F, F, F, OK, OK, F, NF, NF, OK, OK, F, F, OK, F, U]),
};

/** The outcome the oracle expects for one caller kind. */
export function expectedOutcome(key: string, caller: CallerKind): Expected {
  const entry = ORACLE[key];
  if (!entry) throw new Error(`no oracle row for ${key}`);
  return entry.outcomes[CALLER_KINDS.indexOf(caller)] as Expected;
}

/** The procedure path of an oracle key ("team.move › …" → "team.move"). */
export const pathOf = (key: string) => key.split(" › ")[0] as string;
