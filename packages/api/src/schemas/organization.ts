import { z } from "zod";
import { orgInput, ZCurrency, ZId, ZInstant, ZMemberRole, ZName, ZOutId, ZSlug, ZTimezone } from "./common.js";

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

export const ZOrganizationOutput = z.object({
  id: ZOutId,
  name: z.string(),
  slug: z.string(),
  description: z.string().nullable(),
  logoUrl: z.string().nullable(),
  plan: z.enum(["free", "pro", "enterprise"]),
  status: z.enum(["active", "suspended", "deleted"]),
  timezone: z.string(),
  currency: z.string(),
  deletedAt: ZInstant.nullable(),
  createdAt: ZInstant,
  updatedAt: ZInstant,
});
export const ZCreateOrganizationOutput = ZOrganizationOutput.extend({ role: ZMemberRole });
export const ZListMyOrganizationsOutput = z.array(
  ZOrganizationOutput.pick({ id: true, name: true, slug: true, plan: true, logoUrl: true }).extend({
    role: ZMemberRole,
    joinedAt: ZInstant,
  }),
);
export const ZGetOrganizationOutput = ZOrganizationOutput.extend({
  counts: z.object({ members: z.number().int(), teams: z.number().int(), pendingInvitations: z.number().int() }),
});
export const ZDeleteOrganizationOutput = z.object({ id: ZOutId, deletedAt: ZInstant.nullable(), restorableUntil: ZInstant });
export const ZTransferOwnershipOutput = z.object({ newOwnerMemberId: ZOutId, previousOwnerMemberId: ZOutId });

/** A deleted organization its owner can still restore (`organization.listDeleted`). */
export const ZListDeletedOrganizationsOutput = z.array(
  z.object({ id: ZOutId, name: z.string(), slug: z.string(), deletedAt: ZInstant, restorableUntil: ZInstant }),
);
