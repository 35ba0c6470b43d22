import { z } from "zod";
import { LINE_BREAKING_CHARACTERS, orgInput, ZId, ZInstant, ZOutId } from "./common.js";

/** A model's name as callers send it (the same rule as prices and usage calls). */
const ZModelName = z.string().trim().min(1).max(200);
const ZConnectionName = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .refine((v) => !LINE_BREAKING_CHARACTERS.test(v), { error: "No line breaks or control characters" });
/** An OpenAI-compatible API root, e.g. https://api.openai.com/v1 (http only for on-premises providers). */
const ZBaseUrl = z
  .url({ protocol: /^https?$/, error: "Enter an http(s) URL, e.g. https://api.openai.com/v1" })
  .max(2000)
  .refine((v) => {
    const u = new URL(v);
    return !u.username && !u.password && !u.search && !u.hash;
  }, "No credentials, query or fragment in the base URL (the key goes in its own field)");
/** The provider's credential: write-only. */
const ZProviderApiKey = z.string().trim().min(4).max(4000);
/** Names callers use → the provider's model names (an alias given twice: the last wins). */
const ZAlias = z.strictObject({ alias: ZModelName, model: ZModelName });
const ZAliases = z.array(ZAlias).max(200);
const ZModels = z
  .array(ZModelName)
  .max(500)
  .transform((m) => [...new Set(m)]);
const ZTimeoutMs = z.number().int().min(1000).max(600_000);
const ZStatus = z.enum(["active", "disabled"]);

export const ZListProvidersInput = orgInput({});
export const ZCreateProviderInput = orgInput({
  name: ZConnectionName,
  baseUrl: ZBaseUrl,
  apiKey: ZProviderApiKey,
  models: ZModels.default([]),
  modelAliases: ZAliases.default([]),
  timeoutMs: ZTimeoutMs.default(60_000),
});
export const ZUpdateProviderInput = orgInput({
  connectionId: ZId,
  name: ZConnectionName.optional(),
  baseUrl: ZBaseUrl.optional(),
  /** A new credential (rotation); the old one is gone once saved. */
  apiKey: ZProviderApiKey.optional(),
  models: ZModels.optional(),
  modelAliases: ZAliases.optional(),
  timeoutMs: ZTimeoutMs.optional(),
  status: ZStatus.optional(),
});
export const ZProviderRefInput = orgInput({ connectionId: ZId });

export const ZProviderOutput = z.object({
  id: ZOutId,
  name: z.string(),
  baseUrl: z.string(),
  /** The credential's last four characters; the credential itself is never returned. */
  keyLast4: z.string(),
  models: z.array(z.string()),
  modelAliases: z.array(z.object({ alias: z.string(), model: z.string() })),
  timeoutMs: z.number(),
  status: ZStatus,
  createdById: ZOutId.nullable(),
  createdAt: ZInstant,
  updatedAt: ZInstant,
});
export const ZListProvidersOutput = z.object({ items: z.array(ZProviderOutput) });
export const ZDeleteProviderOutput = z.object({ id: ZOutId, deleted: z.literal(true) });
export const ZTestProviderOutput = z.object({
  ok: z.boolean(),
  /** The upstream's HTTP status, when it answered. */
  status: z.number().nullable(),
  /** Models the upstream lists (GET {baseUrl}/models), at most 100. */
  models: z.array(z.string()),
  message: z.string(),
  latencyMs: z.number(),
});
