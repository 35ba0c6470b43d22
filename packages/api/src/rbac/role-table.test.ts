import { describe, expect, it } from "vitest";
import { CATALOGUE } from "../testing/authorization-oracle.js";
import { decide, effectivePermissions, type MemberAccess } from "./access.js";
import { isTeamScoped, PERMISSIONS } from "./permissions.js";
import { MEMBER_ROLES, ROLE_PERMISSIONS, ROLE_RANK, TEAM_LEAD_PERMISSIONS } from "./roles.js";

/**
 * The role table, pinned literally (SPEC §4.1/4.2, docs/authorization.md "Roles and
 * permissions"). Changing who holds what must fail here, on purpose: edit these lists, the
 * docs and the authorization oracle together.
 */
const PINNED = {
  owner: [
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
  ],
  admin: [
    "org:read",
    "org:update",
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
  ],
  member: ["org:read", "member:read", "team:read", "budget:read", "usage:read", "api_key:read", "usage:write"],
  viewer: ["org:read", "member:read", "team:read", "budget:read", "usage:read"],
} as const;

const sorted = (list: readonly string[]) => [...list].sort();
const access = (role: MemberAccess["role"], ledTeamIds: string[] = []): MemberAccess => ({
  kind: "member",
  memberId: "m",
  role,
  overrides: [],
  ledTeamIds,
});

describe("the role table, pinned", () => {
  it("has exactly the catalogue of the spec", () => {
    expect(sorted(PERMISSIONS)).toEqual(sorted(CATALOGUE));
  });

  it("has the four roles, highest first, ranked owner > admin > member > viewer", () => {
    expect([...MEMBER_ROLES]).toEqual(["owner", "admin", "member", "viewer"]);
    expect(ROLE_RANK.owner).toBeGreaterThan(ROLE_RANK.admin);
    expect(ROLE_RANK.admin).toBeGreaterThan(ROLE_RANK.member);
    expect(ROLE_RANK.member).toBeGreaterThan(ROLE_RANK.viewer);
  });

  it.each(Object.keys(PINNED) as (keyof typeof PINNED)[])("gives %s exactly its pinned permissions", (role) => {
    expect(sorted(ROLE_PERMISSIONS[role])).toEqual(sorted(PINNED[role]));
    // …and the decision agrees, permission by permission.
    expect(sorted(effectivePermissions(access(role)))).toEqual(sorted(PINNED[role]));
    for (const permission of CATALOGUE) {
      expect(decide(access(role), permission).allowed, `${role} ${permission}`).toBe(
        (PINNED[role] as readonly string[]).includes(permission),
      );
    }
  });

  it("lets team leads add exactly team:create, team:update and team:manage_members, on their team and below", () => {
    expect(sorted(TEAM_LEAD_PERMISSIONS)).toEqual(["team:create", "team:manage_members", "team:update"]);
    expect(CATALOGUE.filter(isTeamScoped).sort()).toEqual(["team:create", "team:manage_members", "team:update"]);
    const parents = new Map<string, string | null>([
      ["parent", null],
      ["target", "parent"],
      ["sibling", "parent"],
      ["child", "target"],
    ]);
    const lead = access("viewer", ["target"]);
    const on = (teamId: string) => CATALOGUE.filter((p) => decide(lead, p, { teamId, teamParents: parents }).allowed).sort();
    const viewerOnly = sorted(PINNED.viewer);
    const withLead = sorted([...PINNED.viewer, "team:create", "team:update", "team:manage_members"]);
    expect(on("target")).toEqual(withLead);
    expect(on("child")).toEqual(withLead);
    expect(on("parent")).toEqual(viewerOnly);
    expect(on("sibling")).toEqual(viewerOnly);
    // Leading gives nothing organization-wide, and never team:delete.
    expect(sorted(effectivePermissions(lead))).toEqual(viewerOnly);
  });

  it("gives an API key exactly its scopes, whatever they are", () => {
    for (const permission of CATALOGUE) {
      expect(decide({ kind: "api_key", apiKeyId: "k", scopes: [permission] }, permission).allowed).toBe(true);
      expect(decide({ kind: "api_key", apiKeyId: "k", scopes: CATALOGUE.filter((p) => p !== permission) }, permission).allowed).toBe(false);
    }
  });
});
