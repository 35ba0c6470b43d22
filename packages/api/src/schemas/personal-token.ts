import { z } from "zod";
import type { Permission } from "../rbac/permissions.js";
import { PERSONAL_TOKEN_SCOPES } from "../rbac/roles.js";
import { page, paging, ZId, ZInstant, ZName, ZOutId, ZPermission } from "./common.js";

/** A token always expires, at most a year after it is created. */
export const PERSONAL_TOKEN_MAX_DAYS = 365;
const DAY_MS = 86_400_000;

/** One of the allowed scopes (owner-only permissions are not among them). */
const ZPersonalTokenScope = z.enum(PERSONAL_TOKEN_SCOPES as [Permission, ...Permission[]], {
  error: "Not a permission a personal access token can have",
});

export const ZCreatePersonalTokenInput = z.strictObject({
  name: ZName,
  scopes: z
    .array(ZPersonalTokenScope)
    .min(1)
    .max(PERSONAL_TOKEN_SCOPES.length)
    .transform((scopes) => [...new Set(scopes)]),
  expiresAt: z.coerce
    .date()
    .refine((at) => at.getTime() > Date.now(), { error: "Choose a time in the future" })
    .refine((at) => at.getTime() <= Date.now() + PERSONAL_TOKEN_MAX_DAYS * DAY_MS, {
      error: `A token expires within ${PERSONAL_TOKEN_MAX_DAYS} days`,
    }),
  environment: z.enum(["live", "test"]).default("live"),
});
export const ZListPersonalTokensInput = z.strictObject({ ...paging }).default({ limit: 20 });
export const ZPersonalTokenIdInput = z.strictObject({ tokenId: ZId });

export type TCreatePersonalTokenInput = z.infer<typeof ZCreatePersonalTokenInput>;
export type TListPersonalTokensInput = z.infer<typeof ZListPersonalTokensInput>;

/** A token as its person sees it: never the token itself nor its hash. */
export const ZPersonalTokenOutput = z.object({
  id: ZOutId,
  name: z.string(),
  /** The first characters of the token, enough to recognise it in a list. */
  prefix: z.string(),
  scopes: z.array(ZPermission),
  /** `expired` once `expiresAt` has passed. */
  status: z.enum(["active", "revoked", "expired"]),
  lastUsedAt: ZInstant.nullable(),
  expiresAt: ZInstant,
  revokedAt: ZInstant.nullable(),
  createdAt: ZInstant,
});
export const ZListPersonalTokensOutput = page(ZPersonalTokenOutput);
/** The full token is in this answer only; it is never shown again. */
export const ZCreatePersonalTokenOutput = z.object({ token: z.string(), personalToken: ZPersonalTokenOutput });
