import { describe, expect, it } from "vitest";
import { daysLeft } from "./deleted-organizations";

describe("days left to restore", () => {
  const now = new Date("2026-11-28T12:00:00Z");
  it("counts whole days to the deadline", () => {
    expect(daysLeft(new Date("2026-12-28T12:00:00Z"), now)).toBe(30);
    expect(daysLeft(new Date("2026-12-28T11:59:59Z"), now)).toBe(29);
  });
  it("is 0 on the last day and never negative", () => {
    expect(daysLeft(new Date("2026-11-28T20:00:00Z"), now)).toBe(0);
    expect(daysLeft(new Date("2026-11-27T00:00:00Z"), now)).toBe(0);
  });
});
