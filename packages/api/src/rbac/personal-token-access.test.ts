import { describe, expect, it } from "vitest";
import { decide, effectivePermissions, type MemberAccess, type PersonalTokenAccess } from "./access.js";
import { PERMISSIONS, type Permission } from "./permissions.js";
import { PERSONAL_TOKEN_SCOPES } from "./roles.js";

// root ─── platform ─── infra
const parents = new Map<string, string | null>([
  ["root", null],
  ["platform", "root"],
  ["infra", "platform"],
]);
const person = (role: MemberAccess["role"], extra: Partial<MemberAccess> = {}): MemberAccess => ({
  kind: "member",
  memberId: "m",
  role,
  overrides: [],
  ledTeamIds: [],
  ...extra,
});
const token = (member: MemberAccess, scopes: readonly Permission[]): PersonalTokenAccess => ({
  kind: "personal_token",
  tokenId: "t",
  scopes: [...scopes],
  member,
});

describe("a personal access token", () => {
  it("may be given every permission but the owner-only ones", () => {
    expect([...PERSONAL_TOKEN_SCOPES].sort()).toEqual(PERMISSIONS.filter((p) => p !== "org:delete" && p !== "org:transfer").sort());
  });

  it("holds exactly what its person holds and its scopes include", () => {
    const viewerToken = token(person("viewer"), PERSONAL_TOKEN_SCOPES);
    expect(effectivePermissions(viewerToken)).toEqual(["org:read", "member:read", "team:read", "budget:read", "usage:read"]);
    const narrowOwner = token(person("owner"), ["org:read", "usage:read"]);
    expect(effectivePermissions(narrowOwner)).toEqual(["org:read", "usage:read"]);
    expect(decide(narrowOwner, "org:update")).toEqual({ allowed: false, reasons: [{ kind: "scope", grants: false }] });
    expect(decide(token(person("member"), ["org:update"]), "org:update")).toEqual({
      allowed: false,
      reasons: [
        { kind: "scope", grants: true },
        { kind: "role", role: "member", grants: false },
      ],
    });
  });

  it("follows its person's team leads, grants and denies", () => {
    const lead = token(person("member", { ledTeamIds: ["platform"] }), ["team:update"]);
    expect(decide(lead, "team:update", { teamId: "infra", teamParents: parents }).allowed).toBe(true);
    expect(decide(lead, "team:update", { teamId: "root", teamParents: parents }).allowed).toBe(false);
    expect(decide(lead, "team:update").allowed).toBe(false);
    const granted = person("member", { overrides: [{ permission: "audit:read", effect: "grant", expiresAt: null }] });
    expect(decide(token(granted, ["audit:read"]), "audit:read").allowed).toBe(true);
    const denied = person("admin", { overrides: [{ permission: "org:update", effect: "deny", expiresAt: null }] });
    expect(decide(token(denied, ["org:update"]), "org:update")).toEqual({
      allowed: false,
      reasons: [{ kind: "scope", grants: true }, { kind: "deny" }],
    });
  });
});
