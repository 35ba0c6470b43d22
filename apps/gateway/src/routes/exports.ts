import { AuditExportError, auditExportHeaders, openAuditExport, openUsageExport } from "@aihub/api";
import { TRPCError } from "@trpc/server";
import { Hono } from "hono";
import { type AuthDeps, contextForRequest } from "../auth.js";
import { facts, type GatewayEnv } from "../gateway-env.js";
import { errorResponse } from "./errors.js";

/** Pull-based: the next page is read only when the client has taken the previous one (backpressure). */
function streamOf(pages: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await pages.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      },
      async cancel() {
        // The client went away: stop reading pages (the generator's finally releases its query).
        await pages.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

type OpenExport = typeof openAuditExport;

/** One streamed export at `path` (GET and HEAD; anything else 405), opened by `open` after the key is checked. */
function exportRoute(deps: AuthDeps, path: string, open: OpenExport) {
  return new Hono<GatewayEnv>()
    .on(["GET", "HEAD"], path, async (c) => {
      const requestId = c.get("requestId");
      let exported: Awaited<ReturnType<OpenExport>>;
      try {
        const resHeaders = new Headers();
        const context = await contextForRequest(deps, facts(c), resHeaders).catch((error: unknown) => {
          const retryAfter = resHeaders.get("retry-after");
          if (retryAfter) c.header("retry-after", retryAfter);
          throw error;
        });
        exported = await open(context, c.req.param("orgId") ?? "", new URL(c.req.url).searchParams);
      } catch (error) {
        if (error instanceof AuditExportError) return c.json(error.body(requestId), error.status as 400);
        if (error instanceof TRPCError && error.code === "TOO_MANY_REQUESTS")
          return errorResponse(c, 429, "TOO_MANY_REQUESTS", error.message);
        throw error;
      }
      const headers = auditExportHeaders(exported, requestId);
      if (c.req.method === "HEAD") {
        await exported.body.return(undefined);
        return new Response(null, { status: 200, headers });
      }
      return new Response(streamOf(exported.body), { status: 200, headers });
    })
    .all(path, (c) => {
      c.header("allow", "GET, HEAD");
      return errorResponse(c, 405, "METHOD_NOT_SUPPORTED", "Use GET");
    });
}

/**
 * The streamed exports for API keys, page by page (a slow reader holds one page in memory):
 * - GET /v1/organizations/{orgId}/audit/export?format=csv|jsonl&actorId=…&action=…&targetType=…&targetId=…&from=…&to=…
 *   (audit:read);
 * - GET /v1/organizations/{orgId}/budgets/usage/export?from=…&to=…&by=day|team|member|model|apiKey&teamId=…
 *   (usage:read): the usage breakdown as CSV.
 */
export function exportRoutes(deps: AuthDeps) {
  return new Hono<GatewayEnv>()
    .route("/", exportRoute(deps, "/v1/organizations/:orgId/audit/export", openAuditExport))
    .route("/", exportRoute(deps, "/v1/organizations/:orgId/budgets/usage/export", openUsageExport));
}
