import { AuditExportError, auditExportHeaders, createInnerContext, openAuditExport } from "@aihub/api";
import type { NextRequest } from "next/server";
import { getDatabase } from "@/server/database";
import { identityFromRequest } from "@/server/identity";
import { refuseCrossOrigin } from "@/server/origin-check";
import { requestIdFrom } from "@/server/request-id";

// Every export reads live data, and the database driver needs Node (not the edge runtime).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * GET /api/orgs/{orgId}/audit/export?format=csv|jsonl&actorId=…&action=…&targetType=…&targetId=…&from=…&to=…
 * The console's download of the audit log, for a signed-in member with audit:read (the session
 * checked as /api/trpc checks it). Streamed page by page: the body pulls the next page only when
 * the browser has taken the previous one.
 */
export async function GET(req: NextRequest, { params }: { params: Promise<{ orgId: string }> }): Promise<Response> {
  const requestId = requestIdFrom(req.headers);
  const refused = refuseCrossOrigin(req, requestId);
  if (refused) return refused;
  const [{ orgId }, db, caller] = await Promise.all([params, getDatabase(), identityFromRequest(req)]);
  let exported: Awaited<ReturnType<typeof openAuditExport>>;
  try {
    exported = await openAuditExport(createInnerContext({ db, requestId, ...caller }), orgId, req.nextUrl.searchParams);
  } catch (error) {
    if (error instanceof AuditExportError) {
      return Response.json(error.body(requestId), {
        status: error.status,
        headers: { "x-request-id": requestId, "cache-control": "no-store" },
      });
    }
    console.error(JSON.stringify({ level: "error", requestId, path: "audit.export", message: String(error) }));
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
        console.error(JSON.stringify({ level: "error", requestId, path: "audit.export", message: String(error) }));
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, { status: 200, headers: auditExportHeaders(exported, requestId) });
}
