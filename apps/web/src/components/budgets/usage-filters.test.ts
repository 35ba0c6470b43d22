import { describe, expect, it } from "vitest";
import { toUsageQuery, usageExportHref } from "./usage-filters";

const blank = { from: "", to: "", by: "day" as const, team: "", member: "", key: "", model: "" };
const TEAM = "0b6f3a52-8e0f-4b7a-9d4c-2f1e6a7b8c9d";

describe("usage explorer filters", () => {
  it("defaults to this month so far", () => {
    expect(toUsageQuery(blank, "2026-11-28")).toEqual({ from: "2026-11-01", to: "2026-11-28", by: "day" });
  });

  it("keeps valid filters, drops malformed ones and orders the range", () => {
    expect(
      toUsageQuery(
        { ...blank, from: "2026-11-20", to: "2026-11-02", by: "team", team: TEAM, member: "nope", model: " gpt-4o " },
        "2026-11-28",
      ),
    ).toEqual({
      from: "2026-11-02",
      to: "2026-11-20",
      by: "team",
      teamId: TEAM,
      model: "gpt-4o",
    });
    expect(toUsageQuery({ ...blank, from: "2026-02-30" }, "2026-11-28").from).toBe("2026-11-01");
  });

  it("builds the export link with the same query", () => {
    const href = usageExportHref("org-1", toUsageQuery({ ...blank, by: "model", team: TEAM }, "2026-11-28"));
    expect(href).toBe(`/api/orgs/org-1/usage/export?from=2026-11-01&to=2026-11-28&by=model&teamId=${TEAM}`);
  });
});
