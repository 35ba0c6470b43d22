import { describe, expect, it } from "vitest";
import { assignableRoles, memberActionRefusal } from "./roles.js";

describe("who may act on whom (one rule for server and console)", () => {
  it.each([
    ["owner", "owner", null],
    ["owner", "admin", null],
    ["admin", "owner", "OWNER_PROTECTED"],
    ["admin", "admin", null],
    ["admin", "viewer", null],
    ["member", "admin", "OUTRANKED"],
    ["member", "member", null],
    ["viewer", "member", "OUTRANKED"],
    ["viewer", "owner", "OWNER_PROTECTED"],
  ] as const)("%s acting on %s → %s", (actor, target, refusal) => {
    expect(memberActionRefusal(actor, target)).toBe(refusal);
  });

  it("hands out no role above one's own", () => {
    expect(assignableRoles("owner")).toEqual(["owner", "admin", "member", "viewer"]);
    expect(assignableRoles("admin")).toEqual(["admin", "member", "viewer"]);
    expect(assignableRoles("member")).toEqual(["member", "viewer"]);
    expect(assignableRoles("viewer")).toEqual(["viewer"]);
  });
});
