import { describe, expect, it } from "vitest";
import { quotaPeriod } from "./quota-period.js";

const at = (iso: string) => new Date(iso);

describe("quotaPeriod", () => {
  it("counts UTC months in UTC, and an unknown or missing zone as UTC", () => {
    expect(quotaPeriod(at("2026-03-15T12:00:00Z"), "UTC")).toEqual({ month: "2026-03", nextStart: at("2026-04-01T00:00:00Z") });
    expect(quotaPeriod(at("2026-03-15T12:00:00Z"), "Not/AZone")).toEqual({ month: "2026-03", nextStart: at("2026-04-01T00:00:00Z") });
    expect(quotaPeriod(at("2026-03-15T12:00:00Z"), null).month).toBe("2026-03");
  });

  it("starts the month at local midnight in a zone ahead of UTC (Asia/Tokyo, UTC+9)", () => {
    // 2026-01-31T23:59:59 in Tokyo is 14:59:59 UTC; a second later it is February there.
    expect(quotaPeriod(at("2026-01-31T14:59:59Z"), "Asia/Tokyo")).toEqual({ month: "2026-01", nextStart: at("2026-01-31T15:00:00Z") });
    expect(quotaPeriod(at("2026-01-31T15:00:00Z"), "Asia/Tokyo")).toEqual({ month: "2026-02", nextStart: at("2026-02-28T15:00:00Z") });
  });

  it("starts the month at local midnight in a zone behind UTC (America/Los_Angeles)", () => {
    // Already February 1st in UTC, still January 31st in Los Angeles (PST, UTC−8).
    expect(quotaPeriod(at("2026-02-01T07:59:59Z"), "America/Los_Angeles")).toEqual({
      month: "2026-01",
      nextStart: at("2026-02-01T08:00:00Z"),
    });
    expect(quotaPeriod(at("2026-02-01T08:00:00Z"), "America/Los_Angeles").month).toBe("2026-02");
  });

  it("keeps the last second of a month in it, and rolls the year over in December", () => {
    expect(quotaPeriod(at("2026-12-31T23:59:59.999Z"), "UTC")).toEqual({ month: "2026-12", nextStart: at("2027-01-01T00:00:00Z") });
    expect(quotaPeriod(at("2027-01-01T00:00:00Z"), "UTC").month).toBe("2027-01");
    expect(quotaPeriod(at("2026-12-31T14:59:59Z"), "Asia/Tokyo")).toEqual({ month: "2026-12", nextStart: at("2026-12-31T15:00:00Z") });
  });

  it("uses the offset in force at the next month's start across a DST change", () => {
    // March 2026 in Los Angeles: PST (UTC−8) when it starts, PDT (UTC−7) from March 8 — April starts at 07:00 UTC.
    expect(quotaPeriod(at("2026-03-01T08:00:00Z"), "America/Los_Angeles")).toEqual({
      month: "2026-03",
      nextStart: at("2026-04-01T07:00:00Z"),
    });
    // October 2026 in Berlin: CEST (UTC+2) until the 25th; November starts at 23:00 UTC (CET, UTC+1).
    expect(quotaPeriod(at("2026-10-01T00:00:00Z"), "Europe/Berlin")).toEqual({
      month: "2026-10",
      nextStart: at("2026-10-31T23:00:00Z"),
    });
    // A month whose first midnight is skipped (Asunción, 2023-10-01: 00:00 −04 became 01:00 −03):
    // it starts at the first instant that is in it, and the month before keeps its last second.
    expect(quotaPeriod(at("2023-09-15T12:00:00Z"), "America/Asuncion")).toEqual({
      month: "2023-09",
      nextStart: at("2023-10-01T04:00:00Z"),
    });
    expect(quotaPeriod(at("2023-10-01T03:59:59Z"), "America/Asuncion").month).toBe("2023-09");
    expect(quotaPeriod(at("2023-10-01T04:00:00Z"), "America/Asuncion").month).toBe("2023-10");
  });
});
