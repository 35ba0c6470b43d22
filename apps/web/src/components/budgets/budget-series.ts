import { MICROS } from "@/lib/money";

export interface DayCost {
  day: string; // YYYY-MM-DD
  cost: string; // micro-units
}

export interface BudgetPoint {
  day: string;
  /** Cumulative spend up to this day (through today), micro-units. */
  spent: bigint | null;
  /** Projected cumulative spend from today to month end at the current run rate. */
  forecast: bigint | null;
  limit: bigint;
}

export interface BudgetSeries {
  points: BudgetPoint[];
  spent: bigint;
  forecastEnd: bigint;
  monthEnd: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * The month's points: cumulative spend per day through `today`, then a straight forecast to the
 * month's last day at the average daily spend so far (spent ÷ days elapsed), all in bigint.
 */
export function budgetSeries({
  periodStart,
  today,
  days,
  limit,
}: {
  periodStart: string;
  today: string;
  days: DayCost[];
  limit: string;
}): BudgetSeries {
  const year = Number(periodStart.slice(0, 4));
  const month = Number(periodStart.slice(5, 7));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const prefix = `${year}-${pad(month)}-`;
  const todayNumber = today.startsWith(prefix) ? Number(today.slice(8, 10)) : daysInMonth;
  const byDay = new Map<string, bigint>();
  for (const d of days) byDay.set(d.day, (byDay.get(d.day) ?? 0n) + BigInt(d.cost));
  const cap = BigInt(limit);
  const points: BudgetPoint[] = [];
  let running = 0n;
  for (let n = 1; n <= todayNumber; n++) {
    running += byDay.get(`${prefix}${pad(n)}`) ?? 0n;
    points.push({ day: `${prefix}${pad(n)}`, spent: running, forecast: null, limit: cap });
  }
  const spent = running;
  const elapsed = BigInt(todayNumber);
  // The forecast starts at today's spend so the two lines meet.
  const last = points.at(-1);
  if (last) last.forecast = spent;
  for (let n = todayNumber + 1; n <= daysInMonth; n++) {
    points.push({ day: `${prefix}${pad(n)}`, spent: null, forecast: spent + (spent * BigInt(n - todayNumber)) / elapsed, limit: cap });
  }
  const forecastEnd = spent + (spent * BigInt(daysInMonth - todayNumber)) / elapsed;
  return { points, spent, forecastEnd, monthEnd: `${prefix}${pad(daysInMonth)}` };
}

/** For the drawing only: micro-units as a float of whole units. */
export const plot = (v: bigint | null) => (v === null ? null : Number(v) / Number(MICROS));
