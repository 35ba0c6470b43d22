import { createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { readSecret } from "../../config/secrets.js";
import { type Resolver, vetWebhookUrl } from "./url-guard.js";

/**
 * A webhook channel's signing secret: HMAC-SHA256(API_KEY_SECRET, "alert-webhook:<channel id>:<salt>"),
 * hex. Derived, never stored: the database alone cannot sign; shown once when the channel is
 * created; a new salt rotates it.
 */
export function webhookSecret(channelId: string, salt: string): string {
  return `whsec_${createHmac("sha256", readSecret("API_KEY_SECRET")).update(`alert-webhook:${channelId}:${salt}`).digest("hex")}`;
}

export const newSecretSalt = () => randomBytes(16).toString("hex");

/** `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>` — the recipe in docs/budgets.md. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export const WEBHOOK_TIMEOUT_MS = 5_000;

export interface WebhookResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/**
 * POSTs a signed JSON body. The URL is vetted now (scheme, and every address its host resolves
 * to) and the connection goes to a vetted address only, whatever DNS says a moment later.
 * Redirects are not followed; 2xx is success; anything else, a timeout or a refused target is a
 * failure with its reason.
 */
export async function postWebhook(
  input: { url: string; secret: string; body: string; now: Date },
  options: { allowPrivate?: boolean; resolve?: Resolver; timeoutMs?: number } = {},
): Promise<WebhookResult> {
  let vetted: Awaited<ReturnType<typeof vetWebhookUrl>>;
  try {
    vetted = await vetWebhookUrl(input.url, options);
  } catch (error) {
    return { ok: false, status: null, error: `refused: ${(error as Error).message}` };
  }
  const [first] = vetted.addresses;
  if (!first) return { ok: false, status: null, error: "refused: no address" };
  const pinned: LookupFunction = (_host, opts, callback) => {
    if ((opts as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [first]);
    else callback(null, first.address, first.family);
  };
  const timestamp = String(Math.floor(input.now.getTime() / 1000));
  const client = vetted.url.protocol === "https:" ? https : http;
  return await new Promise<WebhookResult>((resolve) => {
    const request = client.request(
      vetted.url,
      {
        method: "POST",
        lookup: pinned,
        timeout: options.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
        headers: {
          "content-type": "application/json",
          "user-agent": "AIHub-Alerts/1",
          "x-aihub-timestamp": timestamp,
          "x-aihub-signature": signWebhook(input.secret, timestamp, input.body),
        },
      },
      (response) => {
        response.resume(); // the answer's body is not read: only its status counts
        const status = response.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        resolve({ ok, status, error: ok ? null : `HTTP ${status}` });
      },
    );
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", (error) => resolve({ ok: false, status: null, error: error.message.slice(0, 300) }));
    request.end(input.body);
  });
}
