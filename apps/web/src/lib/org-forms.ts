// Browser-safe: the organization forms, validated with the same schemas the API parses with.
import { ZCreateOrganizationInput, ZCurrency, ZEmail, ZMemberRole, ZName, ZSlug, ZTimezone } from "@aihub/api/schemas";
import { z } from "zod";

const optionalText = z.string().trim().max(500);

/** The create form keeps every field a string; an empty slug means "make one from the name". */
export const ZCreateOrganizationForm = z.object({
  name: ZCreateOrganizationInput.shape.name,
  slug: z.union([z.literal(""), ZSlug]),
  timezone: ZTimezone,
  currency: ZCurrency,
});
export type TCreateOrganizationForm = z.infer<typeof ZCreateOrganizationForm>;

/** What the create form sends: parsed by the API's own input schema first. */
export function toCreateOrganizationInput(values: TCreateOrganizationForm) {
  return ZCreateOrganizationInput.parse({ ...values, slug: values.slug.trim() === "" ? undefined : values.slug });
}

export const ZOrganizationSettingsForm = z.object({ name: ZName, description: optionalText, timezone: ZTimezone, currency: ZCurrency });
export type TOrganizationSettingsForm = z.infer<typeof ZOrganizationSettingsForm>;

export const ZInviteForm = z.object({ email: ZEmail, role: ZMemberRole, teamIds: z.array(z.uuid()).max(50) });
export type TInviteForm = z.infer<typeof ZInviteForm>;

export const ZTeamForm = z.object({ name: ZName, description: optionalText });
export type TTeamForm = z.infer<typeof ZTeamForm>;

/** Suggestions for the time zone and currency inputs (any valid value is accepted). */
export const COMMON_TIMEZONES = [
  "UTC",
  "America/New_York",
  "America/Chicago",
  "America/Los_Angeles",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Paris",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Asia/Singapore",
  "Asia/Kolkata",
  "Australia/Sydney",
];
export const COMMON_CURRENCIES = ["USD", "EUR", "CNY", "GBP", "JPY", "SGD", "INR", "AUD", "CAD"];
