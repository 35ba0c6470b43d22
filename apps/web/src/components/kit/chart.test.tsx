import { Bar, BarChart, Chart, chartColors } from "@aihub/ui";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

// The chart wrapper: screen readers get the label and the text summary, never the SVG.
describe("Chart", () => {
  it("is a figure named by its label, with the drawing hidden and the summary as its caption", () => {
    render(
      <Chart label="Spend this month against the budget" summary="USD 1,200.00 of USD 2,000.00 spent">
        <BarChart data={[{ day: "1", spend: 10 }]}>
          <Bar dataKey="spend" fill={chartColors[0]} />
        </BarChart>
      </Chart>,
    );
    const figure = screen.getByRole("figure", { name: "Spend this month against the budget" });
    expect(figure.querySelector("figcaption")?.textContent).toBe("USD 1,200.00 of USD 2,000.00 spent");
    const drawing = figure.querySelector('[aria-hidden="true"]');
    expect(drawing).not.toBeNull();
    expect(drawing?.querySelector("figcaption")).toBeNull();
  });

  it("uses the theme's colour variables, so a chart follows light and dark", () => {
    expect(chartColors.every((color) => /^var\(--chart-\d\)$/.test(color))).toBe(true);
  });
});
