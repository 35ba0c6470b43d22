import type { Context as HonoContext } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * Errors of the model routes in OpenAI's shape, `{ error: { message, type, param, code } }`, so
 * OpenAI clients raise their usual exceptions (AuthenticationError, RateLimitError, …). The
 * request id travels in `x-request-id` as everywhere on the gateway.
 */
export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "insufficient_quota"
  | "api_error"
  | "timeout_error";

export function openaiError(
  c: HonoContext,
  status: ContentfulStatusCode,
  type: OpenAIErrorType,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  c.header("cache-control", "no-store");
  return c.json({ error: { message, type, param: null, code, ...extra } }, status);
}
