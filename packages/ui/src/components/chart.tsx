"use client";

import type * as React from "react";
import { ResponsiveContainer, Tooltip } from "recharts";
import { cn } from "../lib/cn";

/** Series colours from the theme (CSS variables): the same chart reads well light and dark. */
export const chartColors = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)"] as const;

/** Props for recharts' axes and grid in the theme's colours. */
export const chartTheme = {
  axis: { stroke: "var(--muted-foreground)", tick: { fill: "var(--muted-foreground)", fontSize: 12 }, tickLine: false },
  grid: { stroke: "var(--border)", strokeDasharray: "3 3" },
} as const;

export interface ChartProps {
  /** What the chart shows, for assistive tech (the figure's accessible name). */
  label: string;
  /** A text summary or table of the same data, read instead of the drawing. */
  summary?: React.ReactNode;
  height?: number;
  className?: string;
  /** A recharts chart (LineChart, BarChart…); it fills the container. */
  children: React.ReactElement;
}

/**
 * A recharts chart in a labelled figure: the drawing is hidden from screen readers, which read
 * `label` and `summary` instead (an SVG of paths says nothing to them).
 */
export function Chart({ label, summary, height = 260, className, children }: ChartProps) {
  return (
    <figure aria-label={label} className={cn("m-0 grid gap-2", className)} data-slot="chart">
      <div aria-hidden="true" style={{ height }} className="w-full text-xs">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
      {summary ? <figcaption className="sr-only">{summary}</figcaption> : null}
    </figure>
  );
}

/** A tooltip in the theme's colours. */
export function ChartTooltip(props: React.ComponentProps<typeof Tooltip>) {
  return (
    <Tooltip
      contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", borderRadius: 6, color: "var(--foreground)" }}
      labelStyle={{ color: "var(--muted-foreground)" }}
      cursor={{ fill: "var(--accent)" }}
      {...props}
    />
  );
}

/** recharts' parts, through the kit (the app depends on the kit, not on recharts). */
export {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  Pie,
  PieChart,
  ReferenceLine,
  XAxis,
  YAxis,
} from "recharts";
