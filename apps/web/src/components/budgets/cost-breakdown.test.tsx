import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithIntl } from "@/test/render";
import { CostBreakdown, type CostBreakdownItem } from "./cost-breakdown";

const items: CostBreakdownItem[] = [
  { key: "t-research", label: "Research", requests: 12, inputTokens: 1200, outputTokens: 340, cost: "1234567" },
  { key: "t-support", label: "Support", requests: 3, inputTokens: 300, outputTokens: 90, cost: "500000" },
  { key: null, label: null, requests: 5, inputTokens: 500, outputTokens: 70, cost: "265433" },
];
// The totals as the API would send them: the sums of the rows.
const totals = { requests: 20, inputTokens: 2000, outputTokens: 500, cost: "2000000" };

const cells = (row: HTMLElement) => [
  within(row).getByRole("rowheader").textContent,
  ...within(row)
    .getAllByRole("cell")
    .map((c) => c.textContent),
];

describe("CostBreakdown", () => {
  it("lists each group with its cost and share, the no-team bucket named, and a total row", () => {
    renderWithIntl(<CostBreakdown currency="USD" by="team" items={items} totals={totals} />);
    const rows = screen.getAllByTestId("cost-breakdown-row");
    // 1234567 / 2000000 = 61.728…% → 61.73; 500000 / 2000000 = 25.00; 265433 / 2000000 = 13.27165 → 13.27.
    expect(rows.map(cells)).toEqual([
      ["Research", "12", "1,200", "340", "$1.23", "61.73%"],
      ["Support", "3", "300", "90", "$0.50", "25.00%"],
      ["No team", "5", "500", "70", "$0.27", "13.27%"],
    ]);
    expect(cells(screen.getByTestId("cost-breakdown-total"))).toEqual(["Total", "20", "2,000", "500", "$2.00", "100.00%"]);
  });

  it("its rows add up exactly to the total shown", () => {
    renderWithIntl(<CostBreakdown currency="USD" by="team" items={items} totals={totals} />);
    const sum = items.reduce((acc, item) => acc + BigInt(item.cost), 0n);
    expect(sum).toBe(2_000_000n);
    const shares = screen.getAllByTestId("cost-breakdown-row").map((row) => Number(cells(row)[5]?.replace("%", "")) * 100);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it("names the bucket for the grouping, in Chinese too", () => {
    const bucket: CostBreakdownItem = { key: null, label: null, requests: 5, inputTokens: 500, outputTokens: 70, cost: "265433" };
    renderWithIntl(<CostBreakdown currency="CNY" by="member" items={[bucket]} totals={bucket} />, "zh-CN");
    const row = screen.getByTestId("cost-breakdown-row");
    expect(cells(row)).toEqual(["无成员", "5", "500", "70", "¥0.27", "100.00%"]);
    expect(screen.getByRole("columnheader", { name: "成员" })).toBeTruthy();
  });

  it("says so when there is no usage, with zero shares", () => {
    renderWithIntl(
      <CostBreakdown currency="USD" by="model" items={[]} totals={{ requests: 0, inputTokens: 0, outputTokens: 0, cost: "0" }} />,
    );
    expect(screen.getByText("No usage in this range.")).toBeTruthy();
    expect(cells(screen.getByTestId("cost-breakdown-total"))).toEqual(["Total", "0", "0", "0", "$0.00", "0.00%"]);
  });
});
