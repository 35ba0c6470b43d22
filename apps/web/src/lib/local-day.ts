/**
 * The calendar day (YYYY-MM-DD) at `now` in an IANA time zone: budget periods and the usage
 * explorer's days are the organization's local days, not the browser's or UTC's.
 */
export function localDay(timeZone: string, now: Date = new Date()): string {
  try {
    // en-CA formats as YYYY-MM-DD.
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}
