import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithIntl } from "@/test/render";
import { BudgetChart } from "./budget-chart";

// November 2026 has 30 days; today is the 10th. Spend: 1.00 on the 1st, 2.50 on the 5th, 1.50 on the 10th → 5.00.
// Run rate 5.00 / 10 days = 0.50 a day → 20 more days → 15.00 by the 30th.
const props = {
  currency: "USD",
  limit: "20000000",
  periodStart: "2026-11-01",
  today: "2026-11-10",
  days: [
    { day: "2026-11-01", cost: "1000000" },
    { day: "2026-11-05", cost: "2500000" },
    { day: "2026-11-10", cost: "1500000" },
  ],
};

const rowOf = (day: string) => {
  const header = screen.getByRole("rowheader", { name: day });
  const row = header.closest("tr");
  if (!row) throw new Error(`no row for ${day}`);
  return within(row)
    .getAllByRole("cell")
    .map((c) => c.textContent);
};

describe("BudgetChart", () => {
  it("is a figure named for what it shows, with a summary sentence carrying the numbers", () => {
    renderWithIntl(<BudgetChart {...props} />);
    const figure = screen.getByRole("figure", { name: /cumulative spend this month against the limit/i });
    expect(within(figure).getByTestId("budget-chart-summary").textContent).toBe(
      "Spent $5.00 of $20.00 this month; at the current rate $15.00 by 2026-11-30.",
    );
  });

  it("gives the spend, forecast and limit series per day of the month", () => {
    renderWithIntl(<BudgetChart {...props} />);
    expect(screen.getAllByRole("rowheader")).toHaveLength(30);
    // [spent, forecast, limit]
    expect(rowOf("2026-11-01")).toEqual(["$1.00", "", "$20.00"]);
    expect(rowOf("2026-11-04")).toEqual(["$1.00", "", "$20.00"]);
    expect(rowOf("2026-11-05")).toEqual(["$3.50", "", "$20.00"]);
    // Today: the forecast starts where the spend is, so the lines meet.
    expect(rowOf("2026-11-10")).toEqual(["$5.00", "$5.00", "$20.00"]);
    expect(rowOf("2026-11-11")).toEqual(["", "$5.50", "$20.00"]);
    expect(rowOf("2026-11-20")).toEqual(["", "$10.00", "$20.00"]);
    expect(rowOf("2026-11-30")).toEqual(["", "$15.00", "$20.00"]);
  });

  it("adds micro-units exactly (no float drift) and reads in Chinese", () => {
    renderWithIntl(
      <BudgetChart
        {...props}
        limit="300000"
        today="2026-11-02"
        days={[
          { day: "2026-11-01", cost: "100000" },
          { day: "2026-11-02", cost: "200000" },
        ]}
      />,
      "zh-CN",
    );
    // 0.10 + 0.20 = 0.30 exactly; rate 0.15/day × 28 more days = 4.20 → 4.50.
    expect(screen.getByTestId("budget-chart-summary").textContent).toBe(
      "本月已支出 US$0.30，限额 US$0.30；按当前速度，到 2026-11-30 将达到 US$4.50。",
    );
  });
});
