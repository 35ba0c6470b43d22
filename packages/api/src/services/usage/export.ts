import type { Context } from "../../context.js";
import { ZUsageBreakdownInput } from "../../schemas/usage.js";
import { type AuditExportResponse, authorizeExport, csvCell, exportStamp, toExportError } from "../audit/export.js";
import { type UsageBucket, usageBreakdown } from "./explorer.js";

/**
 * The usage explorer's CSV: one breakdown (the same query string as `usage.breakdown`: from, to,
 * by, and the filters) for a caller with usage:read, streamed in chunks of rows. Money is given
 * both exactly in micro-units and as a decimal amount of the organization's currency; the last
 * row is the total, so a spreadsheet sum can be checked against it.
 */

const ROWS_PER_CHUNK = 500;
const ZUsageExportQuery = ZUsageBreakdownInput.omit({ orgId: true });

/** Micro-units as an exact decimal amount ("1.5" → "1.500000"). */
export function decimalAmount(micros: bigint): string {
  const sign = micros < 0n ? "-" : "";
  const abs = micros < 0n ? -micros : micros;
  return `${sign}${abs / 1_000_000n}.${(abs % 1_000_000n).toString().padStart(6, "0")}`;
}

const COLUMNS = ["key", "label", "parent_id", "requests", "input_tokens", "output_tokens", "cost_micros", "cost", "currency"];

function line(
  bucket: Pick<UsageBucket, "key" | "label" | "parentId" | "requests" | "inputTokens" | "outputTokens" | "cost">,
  currency: string,
) {
  return [
    bucket.key,
    bucket.label,
    bucket.parentId ?? null,
    bucket.requests.toString(),
    bucket.inputTokens.toString(),
    bucket.outputTokens.toString(),
    bucket.cost.toString(),
    decimalAmount(bucket.cost),
    currency,
  ]
    .map(csvCell)
    .join(",");
}

export async function openUsageExport(ctx: Context, orgIdParam: string, query: URLSearchParams): Promise<AuditExportResponse> {
  const { service, input } = await authorizeExport(ctx, orgIdParam, "usage:read", ZUsageExportQuery, query);
  // Computed before the response starts, so a bad range is a clean 400 rather than a broken stream.
  const breakdown = await usageBreakdown(service, input).catch((error: unknown) => {
    throw toExportError(error);
  });
  async function* rows(): AsyncGenerator<string> {
    yield `${COLUMNS.join(",")}\r\n`;
    for (let i = 0; i < breakdown.items.length; i += ROWS_PER_CHUNK) {
      yield breakdown.items
        .slice(i, i + ROWS_PER_CHUNK)
        .map((b) => `${line(b, breakdown.currency)}\r\n`)
        .join("");
    }
    yield `${line({ key: "total", label: null, parentId: null, ...breakdown.totals }, breakdown.currency)}\r\n`;
  }
  return {
    filename: `usage-by-${input.by}-${input.from}-to-${input.to}-${exportStamp()}.csv`,
    contentType: "text/csv; charset=utf-8",
    body: rows(),
  };
}
