import type { Context as HonoContext } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The gateway's own error body (outside tRPC): a typed code, a message, the request id. */
export function errorResponse(
  c: HonoContext,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  c.header("cache-control", "no-store");
  return c.json({ error: { code, message, requestId: c.get("requestId" as never) as string, ...extra } }, status);
}
