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
