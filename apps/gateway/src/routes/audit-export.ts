import { AuditExportError, auditExportHeaders, openAuditExport } from "@aihub/api";
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

/**
 * GET /v1/organizations/{orgId}/audit/export?format=csv|jsonl&actorId=…&action=…&targetType=…&targetId=…&from=…&to=…
 * for a key with the audit:read scope: the export streamed page by page (a slow reader holds
 * one page in memory, not the log).
 */
export function auditExportRoutes(deps: AuthDeps) {
  return new Hono<GatewayEnv>()
    .on(["GET", "HEAD"], "/v1/organizations/:orgId/audit/export", async (c) => {
      const requestId = c.get("requestId");
      let exported: Awaited<ReturnType<typeof openAuditExport>>;
      try {
        const resHeaders = new Headers();
        const context = await contextForRequest(deps, facts(c), resHeaders).catch((error: unknown) => {
          const retryAfter = resHeaders.get("retry-after");
          if (retryAfter) c.header("retry-after", retryAfter);
          throw error;
        });
        exported = await openAuditExport(context, c.req.param("orgId"), new URL(c.req.url).searchParams);
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
    .all("/v1/organizations/:orgId/audit/export", (c) => {
      c.header("allow", "GET, HEAD");
      return errorResponse(c, 405, "METHOD_NOT_SUPPORTED", "Use GET");
    });
}
