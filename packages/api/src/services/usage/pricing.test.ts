import { describe, expect, it } from "vitest";
import { periodStart } from "../budgets/period.js";
import { tokenCost } from "./pricing.js";
import { requestFingerprint } from "./record.js";

describe("token cost", () => {
  it("prices per million tokens in micro-units, rounding any fraction up", () => {
    // 1,000,000 tokens at 3.00/M = 3.00 exactly.
    expect(tokenCost(1_000_000n, 0n, 3_000_000n, 0n)).toBe(3_000_000n);
    // 1 token at 0.15/M = 0.15 µ → 1 µ (never free).
    expect(tokenCost(1n, 0n, 150_000n, 0n)).toBe(1n);
    expect(tokenCost(0n, 0n, 150_000n, 600_000n)).toBe(0n);
    // 7 in × 2.50/M + 3 out × 10.00/M = 17.5 µ + 30 µ = 47.5 µ → 48 µ.
    expect(tokenCost(7n, 3n, 2_500_000n, 10_000_000n)).toBe(48n);
    // Beyond 2^53 stays exact.
    expect(tokenCost(10n ** 12n, 10n ** 12n, 75_000_000n, 150_000_000n)).toBe(225_000_000_000_000n);
  });
});

describe("request fingerprint", () => {
  it("is the same for the same request written in another key order, and differs for another amount", () => {
    const a = requestFingerprint({ subject: { memberId: "m", teamId: null }, charge: { cost: 5n, model: "x" } });
    const b = requestFingerprint({ charge: { model: "x", cost: 5n }, subject: { memberId: "m" } });
    const c = requestFingerprint({ subject: { memberId: "m" }, charge: { cost: 6n, model: "x" } });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});

describe("budget period", () => {
  it("is the month in the organization's zone, named by its first day", () => {
    expect(periodStart(new Date("2026-11-30T14:59:59Z"), "Asia/Tokyo")).toBe("2026-11-01");
    expect(periodStart(new Date("2026-11-30T15:00:00Z"), "Asia/Tokyo")).toBe("2026-12-01");
    expect(periodStart(new Date("2027-01-01T04:59:59Z"), "America/New_York")).toBe("2026-12-01");
    expect(periodStart(new Date("2027-01-01T05:00:00Z"), "America/New_York")).toBe("2027-01-01");
    expect(periodStart(new Date("2027-01-01T00:00:00Z"), "Not/AZone")).toBe("2027-01-01");
  });
});
