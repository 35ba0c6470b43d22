import { openUsageExport } from "@aihub/api";
import type { NextRequest } from "next/server";
import { exportResponse } from "@/server/export-response";

// Usage is live data, and the database driver needs Node (not the edge runtime).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * GET /api/orgs/{orgId}/usage/export?from=YYYY-MM-DD&to=YYYY-MM-DD&by=day|team|member|model|apiKey&teamId=…&memberId=…&apiKeyId=…&model=…
 * The usage explorer's CSV for a signed-in member with usage:read: the same breakdown as
 * `usage.breakdown`, with a total row.
 */
export async function GET(req: NextRequest, { params }: { params: Promise<{ orgId: string }> }): Promise<Response> {
  return exportResponse(req, (await params).orgId, "usage.export", openUsageExport);
}
