import type { PublicErrorShape } from "@aihub/api";

/** What a refused cross-origin call gets back: tRPC's error shape (superjson-wrapped), 403. */
export const CROSS_ORIGIN_ERROR: { error: { json: PublicErrorShape } } = {
  error: {
    json: {
      message: "This request came from another site and was refused.",
      code: -32003,
      data: { code: "FORBIDDEN", httpStatus: 403, details: { reason: "CROSS_ORIGIN" } },
    },
  },
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Whether a state-changing request (anything but GET/HEAD/OPTIONS: tRPC mutations are POSTs)
 * comes from the console's own pages. The session cookie is SameSite=Lax, so a page on another
 * origin of the same site (another port, a sibling subdomain) gets it sent along; the browser's
 * `Origin` header says who asked. Allowed: the console's configured public origins (NEXTAUTH_URL,
 * APP_URL) and the origin the request was addressed to (its Host, or the X-Forwarded-Host a
 * trusted proxy set: the launcher drops the header otherwise). A request without `Origin` is not
 * from a browser page (browsers send it on every POST) unless Sec-Fetch-Site says otherwise.
 */
export function isSameOriginRequest(
  req: Pick<Request, "method" | "headers">,
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return true;
  const origin = req.headers.get("origin");
  if (origin === null) {
    const site = req.headers.get("sec-fetch-site");
    return site === null || site === "same-origin" || site === "none";
  }
  const claimed = originOf(origin);
  if (claimed === null) return false; // "null": sandboxed frames, file: pages, some redirects
  if (claimed === originOf(env.NEXTAUTH_URL) || claimed === originOf(env.APP_URL)) return true;
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host");
  if (!host) return false;
  // Spelled as in the Origin (scheme's default port dropped, lower case) before comparing.
  const { protocol } = new URL(claimed);
  return originOf(`${protocol}//${host}`) === claimed;
}

/** The 403 for a refused cross-origin call, or null when the request may proceed. */
export function refuseCrossOrigin(req: Pick<Request, "method" | "headers">, requestId: string): Response | null {
  if (isSameOriginRequest(req)) return null;
  const body = structuredClone(CROSS_ORIGIN_ERROR);
  body.error.json.data.requestId = requestId;
  return Response.json(body, { status: 403, headers: { "x-request-id": requestId, "cache-control": "no-store" } });
}
