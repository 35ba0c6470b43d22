import { describe, expect, it } from "vitest";
import { grantsTab, restrictedTabOf } from "./tab-permissions";

describe("restricted tabs", () => {
  it("finds the tab of a path under an organization", () => {
    expect(restrictedTabOf("/orgs/acme/audit")).toBe("audit");
    expect(restrictedTabOf("/orgs/acme/api-keys")).toBe("api-keys");
    expect(restrictedTabOf("/orgs/acme/settings")).toBe("settings");
    expect(restrictedTabOf("/orgs/acme/budgets")).toBe("budgets");
    expect(restrictedTabOf("/orgs/acme/usage")).toBe("usage");
    expect(restrictedTabOf("/orgs/acme/members/0b6f/permissions")).toBe("member-permissions");
  });

  it("has none for open tabs and other paths", () => {
    expect(restrictedTabOf("/orgs/acme")).toBeNull();
    expect(restrictedTabOf("/orgs/acme/members")).toBeNull();
    expect(restrictedTabOf("/orgs/acme/teams")).toBeNull();
    expect(restrictedTabOf("/orgs/acme/toString")).toBeNull();
    expect(restrictedTabOf("/account")).toBeNull();
  });

  it("is granted by any one of its permissions", () => {
    expect(grantsTab(["org:delete"], "settings")).toBe(true);
    expect(grantsTab(["org:read", "member:read"], "settings")).toBe(false);
    expect(grantsTab(["audit:read"], "audit")).toBe(true);
    expect(grantsTab(["budget:read"], "budgets")).toBe(true);
    expect(grantsTab(["budget:read"], "usage")).toBe(false);
    expect(grantsTab(["usage:read"], "usage")).toBe(true);
  });
});
