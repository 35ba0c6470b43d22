import { z } from "zod";
import { orgInput, ZCurrency, ZId, ZName, ZSlug, ZTimezone } from "./common.js";

export const ZCreateOrganizationInput = z.strictObject({
  name: ZName,
  slug: ZSlug.optional(),
  description: z.string().trim().max(500).nullable().optional(),
  timezone: ZTimezone.optional(),
  currency: ZCurrency.optional(),
});
export const ZGetOrganizationInput = orgInput({});
export const ZUpdateOrganizationInput = orgInput({
  name: ZName.optional(),
  description: z.string().trim().max(500).nullable().optional(),
  logoUrl: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    .nullable()
    .optional(),
  timezone: ZTimezone.optional(),
  currency: ZCurrency.optional(),
});
export const ZDeleteOrganizationInput = orgInput({ confirmSlug: z.string().trim().min(1) });
export const ZRestoreOrganizationInput = orgInput({});
export const ZTransferOwnershipInput = orgInput({ memberId: ZId });
