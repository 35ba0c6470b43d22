import { describe, expect, it } from "vitest";
import { type ApiKeyAccess, decide, effectivePermissions } from "./access.js";
import { PERMISSIONS } from "./permissions.js";

// root ─┬─ platform ─── infra
//       └─ sales
const parents = new Map<string, string | null>([
  ["root", null],
  ["platform", "root"],
  ["infra", "platform"],
  ["sales", "root"],
]);
const key = (teamId: string | null): ApiKeyAccess => ({ kind: "api_key", apiKeyId: "k", scopes: [...PERMISSIONS], teamId });

describe("a team-bound key", () => {
  it("holds team-scoped permissions on its team and below, not above, beside or without a team", () => {
    const bound = key("platform");
    for (const teamId of ["platform", "infra"]) expect(decide(bound, "team:update", { teamId, teamParents: parents }).allowed).toBe(true);
    for (const teamId of ["root", "sales"]) {
      expect(decide(bound, "team:manage_members", { teamId, teamParents: parents })).toEqual({
        allowed: false,
        reasons: [
          { kind: "scope", grants: true },
          { kind: "key_team", teamId: "platform", grants: false },
        ],
      });
    }
    expect(decide(bound, "team:create").allowed).toBe(false);
  });

  it("of the rest, holds only reading and recording usage, whatever its scopes", () => {
    expect(effectivePermissions(key("platform")).sort()).toEqual(
      ["api_key:read", "audit:read", "budget:read", "member:read", "org:read", "team:read", "usage:read", "usage:write"].sort(),
    );
  });

  it("never holds more than its scopes; an unbound key holds exactly its scopes", () => {
    const narrow: ApiKeyAccess = { kind: "api_key", apiKeyId: "k", scopes: ["usage:write"], teamId: "platform" };
    expect(decide(narrow, "team:read").reasons).toEqual([{ kind: "scope", grants: false }]);
    expect(decide(narrow, "team:update", { teamId: "infra", teamParents: parents }).allowed).toBe(false);
    expect(effectivePermissions(key(null))).toEqual(PERMISSIONS);
  });
});
