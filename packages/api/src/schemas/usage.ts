import { z } from "zod";
import { orgInput, ZId } from "./common.js";

/** A local calendar day of the organization's time zone, "YYYY-MM-DD". */
export const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "A day as YYYY-MM-DD" })
  .refine((day) => {
    const parsed = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(day);
  }, "Not a calendar day");

export const ZUsageGroup = z.enum(["day", "team", "member", "model", "apiKey"]);

/** A range of local days (inclusive, at most 367) and optional filters; `teamId` includes its sub-teams. */
const rangeFields = {
  from: ZDay,
  to: ZDay,
  teamId: ZId.nullish(),
  memberId: ZId.nullish(),
  apiKeyId: ZId.nullish(),
  model: z.string().min(1).max(200).nullish(),
};
export const ZUsageSummaryInput = orgInput(rangeFields);
export const ZUsageBreakdownInput = orgInput({ ...rangeFields, by: ZUsageGroup });

/** Requests and tokens as integers; cost as a decimal string of micro-units. */
const totalsFields = {
  requests: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cost: z.string(),
};
export const ZUsageTotals = z.object(totalsFields);
export const ZUsageSummaryOutput = z.object({
  currency: z.string(),
  from: z.string(),
  to: z.string(),
  totals: ZUsageTotals,
  days: z.array(z.object({ day: z.string(), ...totalsFields })),
});
export const ZUsageBucket = z.object({
  /** The day, the team/member/key id or the model; null is the bucket of usage with none. */
  key: z.string().nullable(),
  /** The team, member or key name (null for the none bucket or something since deleted). */
  label: z.string().nullable(),
  ...totalsFields,
  /** Team buckets: the parent team, and the cost of the team with all its sub-teams. */
  parentId: z.string().nullable().optional(),
  subtreeCost: z.string().optional(),
});
export const ZUsageBreakdownOutput = z.object({
  currency: z.string(),
  from: z.string(),
  to: z.string(),
  by: ZUsageGroup,
  totals: ZUsageTotals,
  items: z.array(ZUsageBucket),
});
export type TUsageBreakdownInput = z.infer<typeof ZUsageBreakdownInput>;
