import type { ProviderRoute } from "@aihub/api";

/**
 * One call to a provider with its own deadline and cancellation: `abort("client")` when the
 * client goes away, the deadline aborts with "timeout"; the caller learns which from `why()`.
 */
export interface UpstreamCall {
  response: Promise<Response>;
  abort(reason: "client" | "timeout"): void;
  why(): "client" | "timeout" | null;
  /** Re-arms the deadline (each wait for the next bytes of a stream gets the full timeout). */
  clearDeadline(): void;
}

export function callUpstream(route: ProviderRoute, path: string, body: unknown): UpstreamCall {
  const controller = new AbortController();
  let reason: "client" | "timeout" | null = null;
  const abort = (why: "client" | "timeout") => {
    if (reason) return;
    reason = why;
    controller.abort(why);
  };
  const deadline = setTimeout(() => abort("timeout"), route.timeoutMs);
  const response = fetch(`${route.baseUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${route.apiKey}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify(body),
    signal: controller.signal,
    // A provider's redirect could point anywhere (the base URL guard checked only the base URL).
    redirect: "manual",
  });
  response.then(
    () => clearTimeout(deadline),
    () => clearTimeout(deadline),
  );
  return { response, abort, why: () => reason, clearDeadline: () => clearTimeout(deadline) };
}

/** The upstream's error message, when it sent one in OpenAI's shape. */
export async function upstreamMessage(response: Response): Promise<string | null> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: unknown } } | null;
  const message = body?.error?.message;
  return typeof message === "string" ? message.slice(0, 500) : null;
}
