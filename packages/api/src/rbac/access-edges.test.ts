import { describe, expect, it } from "vitest";
import { decide, effectivePermissions, type MemberAccess, type PermissionOverride, teamAndAncestors } from "./access.js";
import { isPermission, PERMISSIONS } from "./permissions.js";
import { atLeast, MEMBER_ROLES } from "./roles.js";

// The edges of the access decision that the scenario tests in access.test.ts do not pin down:
// the exact instant a grant lapses, which overrides count as "expired", the reasons returned,
// the depth guard of the team walk, and the catalogue's own lookups.
const NOW = new Date("2026-06-01T12:00:00Z");
const viewer = (overrides: PermissionOverride[] = []): MemberAccess => ({
  kind: "member",
  memberId: "m1",
  role: "viewer",
  overrides,
  ledTeamIds: [],
});

describe("grants at the edge of their expiry", () => {
  it("treats a grant expiring exactly now as lapsed, and says so", () => {
    const access = viewer([{ permission: "budget:write", effect: "grant", expiresAt: NOW }]);
    expect(decide(access, "budget:write", { now: NOW })).toEqual({
      allowed: false,
      reasons: [
        { kind: "role", role: "viewer", grants: false },
        { kind: "expired_grant", expiredAt: NOW },
      ],
    });
  });

  it("treats a deny expiring exactly now as lapsed", () => {
    const access: MemberAccess = { ...viewer([{ permission: "org:read", effect: "deny", expiresAt: NOW }]) };
    expect(decide(access, "org:read", { now: NOW }).allowed).toBe(true);
  });

  it("gives the role and then the grant as the reasons of an allowed grant", () => {
    const expiresAt = new Date(NOW.getTime() + 1);
    const access = viewer([{ permission: "budget:write", effect: "grant", expiresAt }]);
    expect(decide(access, "budget:write", { now: NOW })).toEqual({
      allowed: true,
      reasons: [
        { kind: "role", role: "viewer", grants: false },
        { kind: "grant", expiresAt },
      ],
    });
  });

  it("names only an expired grant of the same permission as the expired reason", () => {
    const past = new Date(NOW.getTime() - 1);
    const unrelated: PermissionOverride[] = [
      { permission: "audit:read", effect: "grant", expiresAt: past }, // another permission
      { permission: "budget:write", effect: "deny", expiresAt: past }, // a deny, lapsed
      { permission: "api_key:write", effect: "grant", expiresAt: null }, // never expires, another permission
    ];
    expect(decide(viewer(unrelated), "budget:write", { now: NOW }).reasons).toEqual([{ kind: "role", role: "viewer", grants: false }]);
    // A grant of another permission that never expires is not "expired" either.
    expect(decide(viewer([{ permission: "budget:write", effect: "deny", expiresAt: null }]), "audit:read", { now: NOW }).reasons).toEqual([
      { kind: "role", role: "viewer", grants: false },
    ]);
    expect(
      decide(viewer([...unrelated, { permission: "budget:write", effect: "grant", expiresAt: past }]), "budget:write", { now: NOW })
        .reasons,
    ).toEqual([
      { kind: "role", role: "viewer", grants: false },
      { kind: "expired_grant", expiredAt: past },
    ]);
  });

  it("reports a lapsed grant even when a never-expiring grant of another permission exists", () => {
    const past = new Date(NOW.getTime() - 1);
    const access = viewer([
      { permission: "audit:read", effect: "grant", expiresAt: null },
      { permission: "budget:write", effect: "grant", expiresAt: past },
    ]);
    expect(decide(access, "budget:write", { now: NOW }).reasons.at(-1)).toEqual({ kind: "expired_grant", expiredAt: past });
  });

  it("computes effective permissions at the time given, not the clock's", () => {
    const then = new Date("2000-01-01T00:00:00Z");
    const access = viewer([{ permission: "budget:write", effect: "grant", expiresAt: new Date("2000-01-02T00:00:00Z") }]);
    expect(effectivePermissions(access, then)).toContain("budget:write");
    expect(effectivePermissions(access, NOW)).not.toContain("budget:write");
  });
});

describe("the team walk", () => {
  it("stops after 16 teams however deep the data claims to go", () => {
    const parents = new Map<string, string | null>(Array.from({ length: 40 }, (_, i) => [`t${i}`, i === 39 ? null : `t${i + 1}`]));
    const chain = teamAndAncestors("t0", parents);
    expect(chain).toHaveLength(16);
    expect(chain[15]).toBe("t15");
  });

  it("walks exactly to the top of a shallow tree", () => {
    expect(
      teamAndAncestors(
        "c",
        new Map([
          ["c", "b"],
          ["b", "a"],
          ["a", null],
        ]),
      ),
    ).toEqual(["c", "b", "a"]);
  });
});

describe("roles and the catalogue", () => {
  it("ranks every pair of roles both ways", () => {
    for (const [i, a] of MEMBER_ROLES.entries()) {
      for (const [j, b] of MEMBER_ROLES.entries()) {
        // MEMBER_ROLES is highest first.
        expect(atLeast(a, b), `${a} >= ${b}`).toBe(i <= j);
      }
    }
  });

  it("recognises exactly the catalogue's permissions", () => {
    for (const p of PERMISSIONS) expect(isPermission(p)).toBe(true);
    for (const p of ["", "org", "org:*", "ORG:READ", "toString", "__proto__", "constructor"]) expect(isPermission(p), p).toBe(false);
  });
});
