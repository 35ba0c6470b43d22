import { quotaPeriod } from "../api-keys/quota-period.js";

/**
 * Budget periods are calendar months in the organization's time zone, named by their first
 * local day ("2026-11-01"). The counter of a period is keyed by that name, so the first charge
 * after local midnight of the 1st lands on a fresh counter by itself: no reset job, and each
 * past month keeps its own row.
 */
export function periodStart(now: Date, timeZone: string | null | undefined): string {
  return `${quotaPeriod(now, timeZone).month}-01`;
}

/** When the period after the one `now` is in starts (local midnight of the next 1st). */
export function nextPeriodStart(now: Date, timeZone: string | null | undefined): Date {
  return quotaPeriod(now, timeZone).nextStart;
}

/** The zones budget periods follow: the organization's, and after a change the one the running period started in. */
export interface BudgetCalendar {
  timezone: string;
  budgetTimezone: string | null;
  budgetTimezoneUntil: Date | null;
}

/**
 * The budget period `now` is in. A change of time zone applies from the next period: until the
 * period running at the change ends (`budgetTimezoneUntil`, its end in the old zone) periods
 * follow the old zone; after it the organization's zone — but never a period before the one
 * that began at that end, so a zone behind the old one does not reopen the month just closed.
 */
export function budgetPeriod(now: Date, calendar: BudgetCalendar): string {
  const { timezone, budgetTimezone, budgetTimezoneUntil } = calendar;
  if (!budgetTimezone || !budgetTimezoneUntil) return periodStart(now, timezone);
  if (now < budgetTimezoneUntil) return periodStart(now, budgetTimezone);
  const inNewZone = periodStart(now, timezone);
  const startedAtChange = periodStart(budgetTimezoneUntil, budgetTimezone);
  return inNewZone > startedAtChange ? inNewZone : startedAtChange;
}

/** What a change of the organization's zone to `next` writes: the zone the running period keeps, and until when. */
export function zoneChange(
  now: Date,
  calendar: BudgetCalendar,
  next: string,
): Pick<BudgetCalendar, "budgetTimezone" | "budgetTimezoneUntil"> {
  const running =
    calendar.budgetTimezone && calendar.budgetTimezoneUntil && now < calendar.budgetTimezoneUntil
      ? calendar.budgetTimezone
      : calendar.timezone;
  if (running === next) return { budgetTimezone: null, budgetTimezoneUntil: null };
  return { budgetTimezone: running, budgetTimezoneUntil: nextPeriodStart(now, running) };
}
