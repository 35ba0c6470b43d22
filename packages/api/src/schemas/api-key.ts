import { z } from "zod";
import { PERMISSIONS } from "../rbac/permissions.js";
import { orgInput, page, paging, ZId, ZInstant, ZName, ZOutId, ZPermission } from "./common.js";

/** Seven days: the longest an old key keeps working after a rotation. */
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 60 * 60;
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 60 * 60;

const ZScopes = z
  .array(ZPermission)
  .min(1)
  .max(PERMISSIONS.length)
  .transform((scopes) => [...new Set(scopes)]);
const ZRateLimit = z.number().int().min(1).max(1_000_000);
const ZMonthlyQuota = z.number().int().min(1).max(2_000_000_000);
/** Model names the key may call (enforced by the gateway later); empty: every model. */
const ZAllowedModels = z
  .array(z.string().trim().min(1).max(200))
  .max(100)
  .transform((models) => [...new Set(models)]);

export const ZCreateApiKeyInput = orgInput({
  name: ZName,
  scopes: ZScopes,
  teamId: ZId.nullish(),
  rateLimitPerMinute: ZRateLimit.optional(),
  monthlyQuota: ZMonthlyQuota.optional(),
  expiresAt: z.coerce.date().nullish(),
  allowedModels: ZAllowedModels.optional(),
  environment: z.enum(["live", "test"]).default("live"),
});
export const ZListApiKeysInput = orgInput({
  ...paging,
  status: z.enum(["active", "revoked", "expired"]).optional(),
  teamId: ZId.optional(),
});
export const ZApiKeyIdInput = orgInput({ apiKeyId: ZId });
export const ZUpdateApiKeyInput = orgInput({
  apiKeyId: ZId,
  name: ZName.optional(),
  scopes: ZScopes.optional(),
  rateLimitPerMinute: ZRateLimit.optional(),
  monthlyQuota: ZMonthlyQuota.optional(),
  allowedModels: ZAllowedModels.optional(),
});
export const ZRotateApiKeyInput = orgInput({
  apiKeyId: ZId,
  /** How long the old key keeps working; 0 ends it at once. */
  gracePeriodSeconds: z.number().int().min(0).max(MAX_ROTATION_GRACE_SECONDS).default(DEFAULT_ROTATION_GRACE_SECONDS),
});

export type TCreateApiKeyInput = z.infer<typeof ZCreateApiKeyInput>;
export type TListApiKeysInput = z.infer<typeof ZListApiKeysInput>;
export type TUpdateApiKeyInput = z.infer<typeof ZUpdateApiKeyInput>;
export type TRotateApiKeyInput = z.infer<typeof ZRotateApiKeyInput>;

/** A key as callers see it: never the key itself nor its hash. */
export const ZApiKeyOutput = z.object({
  id: ZOutId,
  name: z.string(),
  /** The first characters of the key, enough to recognise it in a list. */
  prefix: z.string(),
  scopes: z.array(ZPermission),
  team: z.object({ id: ZOutId, name: z.string() }).nullable(),
  rateLimitPerMinute: z.number().int(),
  monthlyQuota: z.number().int(),
  allowedModels: z.array(z.string()),
  /** `expired` once `expiresAt` has passed (a rotated key after its grace period included). */
  status: z.enum(["active", "revoked", "expired"]),
  lastUsedAt: ZInstant.nullable(),
  createdAt: ZInstant,
  expiresAt: ZInstant.nullable(),
  revokedAt: ZInstant.nullable(),
  rotatedFromId: ZOutId.nullable(),
  replacedById: ZOutId.nullable(),
  /** Who created it; `creator` is null once they are no longer a member (the key lives on). */
  createdById: ZOutId.nullable(),
  creator: z.object({ name: z.string().nullable(), email: z.string() }).nullable(),
});
export const ZListApiKeysOutput = page(ZApiKeyOutput);
/** The only answers that carry the full key: shown once, never stored. */
export const ZCreateApiKeyOutput = z.object({ key: z.string(), apiKey: ZApiKeyOutput });
export const ZRotateApiKeyOutput = z.object({ key: z.string(), apiKey: ZApiKeyOutput, previous: ZApiKeyOutput });
