import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, keptFields } from "./events.js";
import { csvCell } from "./export.js";

describe("typed audit events", () => {
  it("keeps only the action's listed fields, whatever their names look like", () => {
    const row = { id: "x", email: "a@b.c", role: "member", tokenHash: "secret", organizationId: "o", expiresAt: new Date(0) };
    expect(keptFields("invitation.created", row)).toEqual({ email: "a@b.c", role: "member", expiresAt: "1970-01-01T00:00:00.000Z" });
    // A field is kept because it is listed, not dropped because its name resembles a secret's.
    expect(keptFields("member.permission_override_set", { permission: "audit:read", grantedById: "u", tokenHash: "t" })).toEqual({
      permission: "audit:read",
      grantedById: "u",
    });
  });

  it("stores nothing for an absent or entirely unlisted snapshot, and JSON-safe values for the rest", () => {
    expect(keptFields("team.moved", undefined)).toBeNull();
    expect(keptFields("team.moved", { name: "not kept" })).toBeNull();
    expect(keptFields("invitation.accepted", { anything: 1 })).toBeNull();
    expect(keptFields("audit.purged", { purgedCount: 3n, throughSeq: "9", extra: 1 })).toEqual({ purgedCount: "3", throughSeq: "9" });
    expect(keptFields("team.deleted", { deletedSubTeamIds: ["a"], parentTeamId: null, description: undefined })).toEqual({
      deletedSubTeamIds: ["a"],
      parentTeamId: null,
    });
  });

  it("has no data-plane actions: usage and reservations never take the chain lock", () => {
    expect(Object.keys(AUDIT_ACTIONS).filter((a) => /^(usage|reservation|budget\.(reserve|settle))/.test(a))).toEqual([]);
  });
});

describe("CSV cells", () => {
  it.each([
    ["=1+1", `"'=1+1"`],
    ["+1", `"'+1"`],
    ["-1", `"'-1"`],
    ["@SUM(A1)", `"'@SUM(A1)"`],
    ["\tx", `"'\tx"`],
    ['say "hi"', `"say ""hi"""`],
    ['=HYPERLINK("u")', `"'=HYPERLINK(""u"")"`],
    ["plain, with comma\nand newline", `"plain, with comma\nand newline"`],
    ["", `""`],
  ])("%j → %s", (value, cell) => expect(csvCell(value)).toBe(cell));
  it("leaves a null cell empty", () => expect(csvCell(null)).toBe(""));
});
