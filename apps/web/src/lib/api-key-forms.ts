// Browser-safe: the API key forms, validated with the schemas the API parses with.
import { ZCreateApiKeyInput, ZUpdateApiKeyInput } from "@aihub/api/schemas";
import { z } from "zod";

const shape = ZCreateApiKeyInput.shape;
const rateLimit = shape.rateLimitPerMinute.unwrap();
const monthlyQuota = shape.monthlyQuota.unwrap();

/** A number input kept as text: empty (the server's default) or what `schema` accepts. */
const blankOr = (schema: z.ZodType<number>) =>
  z
    .string()
    .trim()
    .refine((value) => value === "" || (/^\d+$/.test(value) && schema.safeParse(Number(value)).success));
const toNumber = (value: string) => (value.trim() === "" ? undefined : Number(value));

/** Today as yyyy-mm-dd in the browser's zone: the earliest expiry the date input offers is tomorrow. */
export function todayIso(now = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

export const ZCreateApiKeyForm = z.object({
  name: shape.name,
  scopes: shape.scopes,
  teamId: z.string(),
  rateLimitPerMinute: blankOr(rateLimit),
  monthlyQuota: blankOr(monthlyQuota),
  /** yyyy-mm-dd, the key stops working at the start of that day (local time); empty: never. */
  expiresOn: z
    .string()
    .refine((value) => value === "" || (/^\d{4}-\d{2}-\d{2}$/.test(value) && value > todayIso() && !Number.isNaN(Date.parse(value)))),
});
export type TCreateApiKeyForm = z.infer<typeof ZCreateApiKeyForm>;

export const emptyCreateApiKeyForm: TCreateApiKeyForm = {
  name: "",
  scopes: [],
  teamId: "",
  rateLimitPerMinute: "",
  monthlyQuota: "",
  expiresOn: "",
};

/** What the create dialog sends, parsed by the API's own input schema first. */
export function toCreateApiKeyInput(orgId: string, values: TCreateApiKeyForm) {
  return ZCreateApiKeyInput.parse({
    orgId,
    name: values.name,
    scopes: values.scopes,
    teamId: values.teamId || null,
    rateLimitPerMinute: toNumber(values.rateLimitPerMinute),
    monthlyQuota: toNumber(values.monthlyQuota),
    expiresAt: values.expiresOn ? new Date(`${values.expiresOn}T00:00:00`) : null,
  });
}

export const ZEditApiKeyForm = z.object({
  name: shape.name,
  rateLimitPerMinute: blankOr(rateLimit).refine((value) => value !== ""),
  monthlyQuota: blankOr(monthlyQuota).refine((value) => value !== ""),
});
export type TEditApiKeyForm = z.infer<typeof ZEditApiKeyForm>;

export function toUpdateApiKeyInput(orgId: string, apiKeyId: string, values: TEditApiKeyForm) {
  return ZUpdateApiKeyInput.parse({
    orgId,
    apiKeyId,
    name: values.name,
    rateLimitPerMinute: Number(values.rateLimitPerMinute),
    monthlyQuota: Number(values.monthlyQuota),
  });
}
