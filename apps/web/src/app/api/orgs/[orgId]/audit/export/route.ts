import { openAuditExport } from "@aihub/api";
import type { NextRequest } from "next/server";
import { exportResponse } from "@/server/export-response";

// Every export reads live data, and the database driver needs Node (not the edge runtime).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * GET /api/orgs/{orgId}/audit/export?format=csv|jsonl&actorId=…&action=…&targetType=…&targetId=…&from=…&to=…
 * The console's download of the audit log, for a signed-in member with audit:read, streamed
 * page by page.
 */
export async function GET(req: NextRequest, { params }: { params: Promise<{ orgId: string }> }): Promise<Response> {
  return exportResponse(req, (await params).orgId, "audit.export", openAuditExport);
}
