import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-path";

describe("safeCallbackPath", () => {
  it.each([
    ["/account", "/account"],
    ["/orgs/acme?tab=members#top", "/orgs/acme?tab=members#top"],
    ["http://127.0.0.1:3100/account", "/account"],
    ["https://evil.example/steal?x=1", "/steal?x=1"],
  ])("keeps the path of %s", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });

  it.each([
    [undefined],
    [null],
    [""],
    ["//evil.example/x"],
    ["/\\evil.example/x"],
    ["javascript:alert(1)"],
    ["evil.example/x"],
    ["/sign-in"],
    ["/sign-up?x=1"],
    [`/${"a".repeat(3000)}`],
  ])("refuses %s", (input) => {
    expect(safeCallbackPath(input)).toBe("/");
  });

  it("takes the first of repeated parameters", () => {
    expect(safeCallbackPath(["/account", "/other"])).toBe("/account");
  });
});
