/**
 * Calendar months in an organization's time zone, for the monthly request quota: which month an
 * instant falls in there ("YYYY-MM", the counter's key) and the instant the next one starts
 * (local midnight of the 1st; the first instant after it should that midnight not exist).
 */
export interface QuotaPeriod {
  /** The month in the zone, "YYYY-MM". */
  month: string;
  /** When the next month starts in the zone. */
  nextStart: Date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** An unknown zone name counts as UTC (names are validated when an organization is saved). */
function zoneOrUtc(timeZone: string | null | undefined): string {
  if (!timeZone) return "UTC";
  try {
    formatterFor(timeZone);
    return timeZone;
  } catch {
    return "UTC";
  }
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): Wall {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far the zone's wall clock is ahead of UTC at `ms` (whole seconds). */
function offsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const flooredMs = ms - (((ms % 1000) + 1000) % 1000);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - flooredMs;
}

const monthOf = (w: Pick<Wall, "year" | "month">) => `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}`;

/** The month `now` falls in, in `timeZone`, and when the next one starts there. */
export function quotaPeriod(now: Date, timeZone: string | null | undefined): QuotaPeriod {
  const zone = zoneOrUtc(timeZone);
  const wall = wallClock(now.getTime(), zone);
  const nextYear = wall.month === 12 ? wall.year + 1 : wall.year;
  const nextMonth = wall.month === 12 ? 1 : wall.month + 1;
  const nextMonthKey = monthOf({ year: nextYear, month: nextMonth });
  // Local midnight of the 1st as if it were UTC, corrected by the zone's offset (twice: the
  // offset at the guess may differ from the offset at the answer around a DST change).
  const naive = Date.UTC(nextYear, nextMonth - 1, 1);
  let start = naive - offsetMs(naive, zone);
  start = naive - offsetMs(start, zone);
  // Midnight skipped by a DST change: the month starts at the first instant that is in it.
  while (monthOf(wallClock(start, zone)) !== nextMonthKey) start += 15 * 60_000;
  // And never later than its first instant (a repeated hour: the earlier one).
  while (monthOf(wallClock(start - 15 * 60_000, zone)) === nextMonthKey && start - 15 * 60_000 > now.getTime()) {
    start -= 15 * 60_000;
  }
  return { month: monthOf(wall), nextStart: new Date(start) };
}
