"use client";

import { CartesianGrid, Chart, ChartTooltip, chartColors, Legend, Line, LineChart, XAxis, YAxis } from "@aihub/ui";
import { useLocale, useTranslations } from "next-intl";
import { formatMoney } from "@/lib/money";
import { budgetSeries, type DayCost, plot } from "./budget-series";

export interface BudgetChartProps {
  currency: string;
  /** The budget's limit for the period (micro-units). */
  limit: string;
  /** The period's first day and the org's today (YYYY-MM-DD). */
  periodStart: string;
  today: string;
  /** Spend per day of the period (micro-units). */
  days: DayCost[];
  label?: string;
}

/**
 * This month's cumulative spend against the limit, with a forecast to the month's end at the
 * current run rate. Screen readers get a sentence with the numbers and the series as a table.
 */
export function BudgetChart({ currency, limit, periodStart, today, days, label }: BudgetChartProps) {
  const t = useTranslations("Budgets.chart");
  const locale = useLocale();
  const money = (v: bigint) => formatMoney(v, currency, locale);
  const series = budgetSeries({ periodStart, today, days, limit });
  const data = series.points.map((p) => ({ day: p.day.slice(8), spent: plot(p.spent), forecast: plot(p.forecast), limit: plot(p.limit) }));
  const summary = t("summary", {
    spent: money(series.spent),
    limit: money(BigInt(limit)),
    forecast: money(series.forecastEnd),
    monthEnd: series.monthEnd,
  });
  return (
    <Chart
      label={label ?? t("label")}
      summary={
        <>
          <span data-testid="budget-chart-summary">{summary}</span>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("day")}</th>
                <th scope="col">{t("spent")}</th>
                <th scope="col">{t("forecast")}</th>
                <th scope="col">{t("limit")}</th>
              </tr>
            </thead>
            <tbody>
              {series.points.map((p) => (
                <tr key={p.day}>
                  <th scope="row">{p.day}</th>
                  <td>{p.spent === null ? "" : money(p.spent)}</td>
                  <td>{p.forecast === null ? "" : money(p.forecast)}</td>
                  <td>{money(p.limit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      }
    >
      <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis dataKey="day" stroke="var(--muted-foreground)" />
        <YAxis stroke="var(--muted-foreground)" width={64} />
        <ChartTooltip />
        <Legend />
        <Line type="monotone" dataKey="spent" name={t("spent")} stroke={chartColors[0]} dot={false} isAnimationActive={false} />
        <Line
          type="monotone"
          dataKey="forecast"
          name={t("forecast")}
          stroke={chartColors[1]}
          strokeDasharray="6 4"
          dot={false}
          isAnimationActive={false}
        />
        <Line type="stepAfter" dataKey="limit" name={t("limit")} stroke={chartColors[3]} dot={false} isAnimationActive={false} />
      </LineChart>
    </Chart>
  );
}
