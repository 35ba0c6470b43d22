import { appRouter, createInnerContext } from "@aihub/api";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";
import { getDatabase } from "@/server/database";
import { identityFromRequest } from "@/server/identity";
import { refuseCrossOrigin } from "@/server/origin-check";
import { requestIdFrom } from "@/server/request-id";

// Every call reads live data, and the database driver needs Node (not the edge runtime).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

function handler(req: NextRequest): Promise<Response> {
  // Taken from the request, not ctx: the header must be set even if creating the context fails.
  const requestId = requestIdFrom(req.headers);
  // A mutation posted by a page of another origin (the Lax session cookie rides along on
  // same-site requests) is refused before any procedure runs.
  const refused = refuseCrossOrigin(req, requestId);
  if (refused) return Promise.resolve(refused);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => {
      const [db, caller] = await Promise.all([getDatabase(), identityFromRequest(req)]);
      return createInnerContext({ db, requestId, ...caller });
    },
    responseMeta: () => ({ headers: new Headers({ "x-request-id": requestId }) }),
    onError({ error, path, type }) {
      // The client gets a masked message (the API's error formatter); the cause goes to the log.
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(
          JSON.stringify({ level: "error", requestId, path, type, message: error.message, stack: error.cause?.stack ?? error.stack }),
        );
      }
    },
  });
}

export { handler as GET, handler as POST };
