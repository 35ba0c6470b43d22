import { describe, expect, it } from "vitest";
import { localDay } from "./local-day";

describe("localDay", () => {
  const instant = new Date("2026-11-30T16:30:00Z");
  it("is the organization's calendar day, ahead of or behind UTC", () => {
    expect(localDay("UTC", instant)).toBe("2026-11-30");
    expect(localDay("Asia/Tokyo", instant)).toBe("2026-12-01"); // 01:30 on the 1st
    expect(localDay("America/Los_Angeles", new Date("2026-12-01T05:00:00Z"))).toBe("2026-11-30"); // 21:00 the day before
  });

  it("falls back to the UTC day for an unknown zone", () => {
    expect(localDay("Mars/Olympus", instant)).toBe("2026-11-30");
  });
});
