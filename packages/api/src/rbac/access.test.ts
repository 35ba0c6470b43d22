import { describe, expect, it } from "vitest";
import {
  type ApiKeyAccess,
  decide,
  effectivePermissions,
  type MemberAccess,
  teamAndAncestors,
  teamPermissions,
  withinOwnPermissions,
} from "./access.js";
import { PERMISSIONS } from "./permissions.js";
import { atLeast, MEMBER_ROLES, outranks, ROLE_PERMISSIONS, TEAM_LEAD_PERMISSIONS } from "./roles.js";

const member = (overrides: Partial<MemberAccess> = {}): MemberAccess => ({
  kind: "member",
  memberId: "m1",
  role: "member",
  overrides: [],
  ledTeamIds: [],
  ...overrides,
});
const NOW = new Date("2026-06-01T12:00:00Z");
const LATER = new Date("2026-06-02T12:00:00Z");
const EARLIER = new Date("2026-05-31T12:00:00Z");

// root → engineering → platform → inference; sales is a separate root.
const parents = new Map<string, string | null>([
  ["root", null],
  ["engineering", "root"],
  ["platform", "engineering"],
  ["inference", "platform"],
  ["sales", null],
]);

describe("roles", () => {
  it("orders roles owner > admin > member > viewer, each holding all that the one below holds", () => {
    expect(outranks("owner", "admin") && outranks("admin", "member") && outranks("member", "viewer")).toBe(true);
    expect(outranks("admin", "admin")).toBe(false);
    expect(atLeast("admin", "admin")).toBe(true);
    for (let i = 0; i + 1 < MEMBER_ROLES.length; i++) {
      const higher = new Set(ROLE_PERMISSIONS[MEMBER_ROLES[i] as keyof typeof ROLE_PERMISSIONS]);
      const lower = ROLE_PERMISSIONS[MEMBER_ROLES[i + 1] as keyof typeof ROLE_PERMISSIONS];
      expect(lower.filter((p) => !higher.has(p))).toEqual([]);
    }
  });

  it("gives owners everything, admins all but deleting and transferring, viewers reads only", () => {
    expect(ROLE_PERMISSIONS.owner).toEqual(PERMISSIONS);
    expect(PERMISSIONS.filter((p) => !(ROLE_PERMISSIONS.admin as readonly string[]).includes(p))).toEqual(["org:delete", "org:transfer"]);
    expect(ROLE_PERMISSIONS.viewer.every((p) => p.endsWith(":read"))).toBe(true);
  });
});

describe("decide", () => {
  it("allows by role and refuses beyond it", () => {
    expect(decide(member({ role: "viewer" }), "team:read").allowed).toBe(true);
    expect(decide(member({ role: "viewer" }), "usage:write").allowed).toBe(false);
    expect(decide(member({ role: "admin" }), "org:delete").allowed).toBe(false);
    expect(decide(member({ role: "owner" }), "org:delete")).toEqual({
      allowed: true,
      reasons: [{ kind: "role", role: "owner", grants: true }],
    });
  });

  it("lets a deny beat the role, a grant and team leadership", () => {
    const access = member({
      role: "admin",
      ledTeamIds: ["root"],
      overrides: [
        { permission: "team:update", effect: "deny", expiresAt: null },
        { permission: "team:update", effect: "grant", expiresAt: null },
      ],
    });
    expect(decide(access, "team:update", { teamId: "platform", teamParents: parents, now: NOW })).toEqual({
      allowed: false,
      reasons: [{ kind: "deny" }],
    });
  });

  it("honours a grant until it expires, then says it lapsed", () => {
    const grant = (expiresAt: Date | null) =>
      member({ role: "viewer", overrides: [{ permission: "budget:write", effect: "grant", expiresAt }] });
    expect(decide(grant(LATER), "budget:write", { now: NOW }).allowed).toBe(true);
    expect(decide(grant(null), "budget:write", { now: NOW }).allowed).toBe(true);
    const lapsed = decide(grant(EARLIER), "budget:write", { now: NOW });
    expect(lapsed.allowed).toBe(false);
    expect(lapsed.reasons).toContainEqual({ kind: "expired_grant", expiredAt: EARLIER });
  });

  it("lets an expired deny lapse too", () => {
    const access = member({ role: "member", overrides: [{ permission: "team:read", effect: "deny", expiresAt: EARLIER }] });
    expect(decide(access, "team:read", { now: NOW }).allowed).toBe(true);
  });

  it("makes a team lead a lead of every team below, and of nothing above or beside", () => {
    const lead = member({ role: "member", ledTeamIds: ["engineering"] });
    for (const teamId of ["engineering", "platform", "inference"]) {
      const d = decide(lead, "team:manage_members", { teamId, teamParents: parents });
      expect(d.allowed, teamId).toBe(true);
      expect(d.reasons.at(-1)).toEqual({ kind: "team_lead", teamId, viaTeamId: "engineering" });
    }
    expect(decide(lead, "team:manage_members", { teamId: "root", teamParents: parents }).allowed).toBe(false);
    expect(decide(lead, "team:manage_members", { teamId: "sales", teamParents: parents }).allowed).toBe(false);
    // Leading gives team-scoped rights only, and only with a target team.
    expect(decide(lead, "team:delete", { teamId: "platform", teamParents: parents }).allowed).toBe(false);
    expect(decide(lead, "team:update").reasons.at(-1)).toEqual({ kind: "team_required" });
  });

  it("gives an API key exactly its scopes, whatever a role would allow", () => {
    const key: ApiKeyAccess = { kind: "api_key", apiKeyId: "k1", scopes: ["usage:write", "budget:read"] };
    expect(decide(key, "usage:write").allowed).toBe(true);
    expect(decide(key, "org:read")).toEqual({ allowed: false, reasons: [{ kind: "scope", grants: false }] });
    expect(effectivePermissions(key)).toEqual(["budget:read", "usage:write"]);
  });
});

describe("effective permissions", () => {
  it("are the role's, plus active grants, minus denies", () => {
    const access = member({
      role: "viewer",
      overrides: [
        { permission: "budget:write", effect: "grant", expiresAt: null },
        { permission: "audit:read", effect: "grant", expiresAt: EARLIER },
        { permission: "usage:read", effect: "deny", expiresAt: null },
      ],
    });
    expect(effectivePermissions(access, NOW)).toEqual(["org:read", "member:read", "team:read", "budget:read", "budget:write"]);
  });

  it("on a led team add exactly the team-lead permissions", () => {
    const lead = member({ role: "viewer", ledTeamIds: ["platform"] });
    const onTeam = teamPermissions(lead, "inference", parents);
    const orgWide = effectivePermissions(lead);
    expect(onTeam.filter((p) => !orgWide.includes(p))).toEqual([...TEAM_LEAD_PERMISSIONS]);
  });

  it("walks a team's ancestors, and stops on a corrupt cycle", () => {
    expect(teamAndAncestors("inference", parents)).toEqual(["inference", "platform", "engineering", "root"]);
    expect(
      teamAndAncestors(
        "a",
        new Map([
          ["a", "b"],
          ["b", "a"],
        ]),
      ),
    ).toEqual(["a", "b"]);
  });
});

describe("no escalation", () => {
  it("lets a granter give only what they hold themselves (the intersection)", () => {
    const admin = member({ role: "admin" });
    expect(withinOwnPermissions(admin, ["budget:write", "audit:read"])).toEqual({ ok: true, beyond: [] });
    expect(withinOwnPermissions(admin, ["budget:write", "org:delete"])).toEqual({ ok: false, beyond: ["org:delete"] });
    const deniedAdmin = member({ role: "admin", overrides: [{ permission: "audit:read", effect: "deny", expiresAt: null }] });
    expect(withinOwnPermissions(deniedAdmin, ["audit:read"]).ok).toBe(false);
    const key: ApiKeyAccess = { kind: "api_key", apiKeyId: "k", scopes: ["usage:write"] };
    expect(withinOwnPermissions(key, ["usage:write", "usage:read"]).beyond).toEqual(["usage:read"]);
  });
});
