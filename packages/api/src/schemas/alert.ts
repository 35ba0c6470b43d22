import { z } from "zod";
import { LINE_BREAKING_CHARACTERS, orgInput, ZEmail, ZId, ZInstant, ZOutId } from "./common.js";

const ZChannelName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((v) => !LINE_BREAKING_CHARACTERS.test(v), { error: "No line breaks or control characters" });
/** A webhook target: http(s), no credentials (the address rules are checked by the service). */
const ZWebhookUrl = z
  .url({ protocol: /^https?$/, error: "Enter an http(s) URL" })
  .max(2000)
  .refine((v) => {
    const u = new URL(v);
    return !u.username && !u.password;
  }, "No credentials in the URL");
export const ZAlertChannelKind = z.enum(["in_app", "email", "webhook"]);

export const ZListAlertChannelsInput = orgInput({});
/** `email` for an email channel, `url` for a webhook, neither for in-app. */
export const ZCreateAlertChannelInput = orgInput({
  kind: ZAlertChannelKind,
  name: ZChannelName,
  email: ZEmail.optional(),
  url: ZWebhookUrl.optional(),
  enabled: z.boolean().default(true),
}).refine((v) => (v.kind === "email") === (v.email !== undefined) && (v.kind === "webhook") === (v.url !== undefined), {
  error: "An email channel takes `email`, a webhook `url`, an in-app channel neither",
  path: ["kind"],
});
export const ZUpdateAlertChannelInput = orgInput({
  channelId: ZId,
  name: ZChannelName.optional(),
  email: ZEmail.optional(),
  url: ZWebhookUrl.optional(),
  enabled: z.boolean().optional(),
  /** A webhook's new signing secret, returned once. */
  rotateSecret: z.boolean().optional(),
});
export const ZAlertChannelRefInput = orgInput({ channelId: ZId });

export const ZAlertChannelOutput = z.object({
  id: ZOutId,
  kind: ZAlertChannelKind,
  name: z.string(),
  email: z.string().nullable(),
  url: z.string().nullable(),
  enabled: z.boolean(),
  createdBy: ZOutId.nullable(),
  createdAt: ZInstant,
  updatedAt: ZInstant,
  /** A webhook's signing secret: only when the channel is created or its secret rotated. */
  secret: z.string().optional(),
});
export const ZListAlertChannelsOutput = z.object({ items: z.array(ZAlertChannelOutput) });
export const ZDeleteAlertChannelOutput = z.object({ id: ZOutId, deleted: z.literal(true) });
export const ZTestAlertChannelOutput = z.object({
  ok: z.boolean(),
  /** The webhook's HTTP status, when it answered. */
  status: z.number().nullable(),
  /** Why it failed, or what was done (queued mail, a notification). */
  message: z.string(),
});

export const ZListAlertsInput = orgInput({
  budgetId: ZId.optional(),
  /** A period by its first local day, e.g. 2026-11-01. */
  periodStart: z.iso.date().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
const ZDelivery = z.object({
  id: ZOutId,
  channelId: ZOutId.nullable(),
  channelKind: ZAlertChannelKind,
  status: z.enum(["pending", "delivered", "failed"]),
  attempts: z.number(),
  nextAttemptAt: ZInstant,
  lastError: z.string().nullable(),
  responseStatus: z.number().nullable(),
  deliveredAt: ZInstant.nullable(),
});
export const ZListAlertsOutput = z.object({
  items: z.array(
    z.object({
      id: ZOutId,
      budgetId: ZOutId,
      scope: z.enum(["organization", "team", "member", "api_key"]),
      scopeId: ZOutId,
      kind: z.enum(["threshold", "forecast"]),
      threshold: z.number(),
      periodStart: z.string(),
      /** Spend when the alert fired, micro-units as a decimal string. */
      spent: z.string(),
      projectedSpend: z.string().nullable(),
      createdAt: ZInstant,
      deliveredAt: ZInstant.nullable(),
      deliveries: z.array(ZDelivery),
    }),
  ),
});
