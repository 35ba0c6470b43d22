import { describe, expect, it } from "vitest";
import { isAuditAction, keptFields } from "./events.js";

// How kept snapshot values are stored, at any depth, and which names are actions.
describe("audit snapshot storage", () => {
  it("stores nested values of a kept field as JSON does: dates as ISO text, bigints as text, absent as null", () => {
    const at = new Date("2026-06-01T12:00:00Z");
    expect(
      keptFields("organization.ownership_transferred", {
        newOwner: { memberId: "m1", since: at, spend: 5n, note: undefined, none: null, tags: ["a", at], deeper: { n: 1n } },
      }),
    ).toEqual({
      newOwner: {
        memberId: "m1",
        since: "2026-06-01T12:00:00.000Z",
        spend: "5",
        note: null,
        none: null,
        tags: ["a", "2026-06-01T12:00:00.000Z"],
        deeper: { n: "1" },
      },
    });
  });

  it("keeps a kept field that is null as null, and drops only undefined ones", () => {
    expect(keptFields("member.role_updated", { role: null })).toEqual({ role: null });
    expect(keptFields("member.role_updated", { role: undefined })).toBeNull();
  });

  it("names exactly the catalogue's actions", () => {
    expect(isAuditAction("member.role_updated")).toBe(true);
    expect(isAuditAction("audit.purged")).toBe(true);
    for (const name of ["", "member", "member.role_updated ", "toString", "__proto__", "constructor"])
      expect(isAuditAction(name), name).toBe(false);
  });
});
