import { AuditExportError, auditExportHeaders, createInnerContext, type openAuditExport } from "@aihub/api";
import type { NextRequest } from "next/server";
import { getDatabase } from "@/server/database";
import { identityFromRequest } from "@/server/identity";
import { refuseCrossOrigin } from "@/server/origin-check";
import { requestIdFrom } from "@/server/request-id";

type OpenExport = typeof openAuditExport;

/**
 * Answers one of the console's downloads for the signed-in member (the session checked as
 * /api/trpc checks it): the export `open` authorizes and builds, streamed chunk by chunk — the
 * body pulls the next chunk only when the browser has taken the previous one. Refusals are the
 * JSON error envelope with their status; anything unexpected is a 500 naming the request id.
 */
export async function exportResponse(req: NextRequest, orgId: string, name: string, open: OpenExport): Promise<Response> {
  const requestId = requestIdFrom(req.headers);
  const refused = refuseCrossOrigin(req, requestId);
  if (refused) return refused;
  const [db, caller] = await Promise.all([getDatabase(), identityFromRequest(req)]);
  let exported: Awaited<ReturnType<OpenExport>>;
  try {
    exported = await open(createInnerContext({ db, requestId, ...caller }), orgId, req.nextUrl.searchParams);
  } catch (error) {
    if (error instanceof AuditExportError) {
      return Response.json(error.body(requestId), {
        status: error.status,
        headers: { "x-request-id": requestId, "cache-control": "no-store" },
      });
    }
    console.error(JSON.stringify({ level: "error", requestId, path: name, message: String(error) }));
    return Response.json(
      { error: { code: "INTERNAL_SERVER_ERROR", message: `Something went wrong on our side. Request id: ${requestId}`, requestId } },
      { status: 500, headers: { "x-request-id": requestId } },
    );
  }
  const encoder = new TextEncoder();
  const chunks = exported.body;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        console.error(JSON.stringify({ level: "error", requestId, path: name, message: String(error) }));
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, { status: 200, headers: auditExportHeaders(exported, requestId) });
}
