/**
 * Money in the console: amounts travel as decimal strings of micro-units (1.00 = "1000000") and
 * are computed as bigint; only the chart's drawing gets floats (positions, never amounts shown).
 */
export const MICROS = 1_000_000n;

/** A typed amount ("12", "12.5", "1,200.75") → micro-unit string, exactly; null when it isn't one. */
export function toMicros(input: string): string | null {
  const text = input.trim().replaceAll(",", "");
  const match = /^(\d{1,12})(?:\.(\d{0,6}))?$/.exec(text);
  if (!match) return null;
  const [, whole = "0", fraction = ""] = match;
  return (BigInt(whole) * MICROS + BigInt(fraction.padEnd(6, "0"))).toString();
}

/** Micro-units → the decimal amount, exactly ("1500000" → "1.5"), for the number formatter. */
export function microsToDecimal(micros: string | bigint): string {
  const value = BigInt(micros);
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  const fraction = (abs % MICROS).toString().padStart(6, "0").replace(/0+$/, "");
  return `${sign}${abs / MICROS}${fraction ? `.${fraction}` : ""}`;
}

/**
 * Formats micro-units in the org's currency. Intl takes the decimal string as is (no float on
 * the way), so 0.1 + 0.2 stays 0.30.
 */
export function formatMoney(micros: string | bigint, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency });
  return format.format(microsToDecimal(micros) as unknown as number);
}

/** Share of a total in basis points (1/100 %), rounded half up; 0 of 0 is 0. */
export function shareBasisPoints(part: string | bigint, total: string | bigint): bigint {
  const t = BigInt(total);
  if (t === 0n) return 0n;
  return (BigInt(part) * 20_000n + t) / (2n * t);
}

/** Basis points as a percentage text with two decimals ("1234" → "12.34%"). */
export function formatShare(basisPoints: bigint): string {
  return `${basisPoints / 100n}.${(basisPoints % 100n).toString().padStart(2, "0")}%`;
}

/** Used share of a limit, 0–100 whole percent, for progress bars. */
export function usedPercent(spent: string | bigint, limit: string | bigint): number {
  const l = BigInt(limit);
  if (l === 0n) return BigInt(spent) > 0n ? 100 : 0;
  const p = (BigInt(spent) * 100n) / l;
  return Number(p > 100n ? 100n : p);
}
