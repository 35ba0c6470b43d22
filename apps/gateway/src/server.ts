import { randomUUID } from "node:crypto";
import http from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  AuditExportError,
  appRouter,
  auditExportHeaders,
  checkDatabase,
  createInnerContext,
  DomainError,
  getStore,
  openAuditExport,
  type Store,
  verifyApiKey,
} from "@aihub/api";
import { clientAddress, parseTrustProxy, type TrustProxy } from "@aihub/api/config";
import type { Database } from "@aihub/db";
import { TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The caller's request id when it is a sane token, else a fresh one. */
function requestIdOf(req: http.IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
}

async function checkStore(store: Store): Promise<{ kind: Store["kind"]; reachable: boolean }> {
  try {
    await store.get("readyz");
    return { kind: store.kind, reachable: true };
  } catch {
    return { kind: store.kind, reachable: false };
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/**
 * The gateway: the same router as the console at /trpc (for API-key callers), plus
 * liveness (/healthz: the process answers) and readiness (/readyz: its dependencies answer).
 * The caller's address (rate limits, audit) is the socket's peer unless `trustProxy` (default:
 * TRUST_PROXY) says which proxies' X-Forwarded-For to believe — the console's launcher decides
 * the same way, with the same helper.
 */
const AUDIT_EXPORT_PATH = /^\/v1\/organizations\/([^/]+)\/audit\/export$/;

export function createGatewayServer(options: { db: Database; store?: Store; trustProxy?: TrustProxy }): http.Server {
  const trustProxy = options.trustProxy ?? parseTrustProxy(process.env.TRUST_PROXY);
  // Callers here are services with an organization API key (`Authorization: Bearer aih_…`).
  // A key over its rate limit or its monthly quota gets 429 with Retry-After.
  // A missing key, or one that is unknown, revoked, expired or of a deleted organization, leaves
  // no identity: procedures needing one answer UNAUTHORIZED with one generic message (never the
  // key, never which of these). Verification is cached (verify-api-key.ts).
  const contextOf = async (req: http.IncomingMessage, res?: http.ServerResponse) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const store = options.store ?? getStore();
    const verified = bearer ? await verifyApiKey({ db: options.db, store }, bearer) : null;
    if (verified?.status === "rate_limited") {
      res?.setHeader("retry-after", String(verified.retryAfterSeconds ?? 1));
      throw new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message: "This API key's rate limit is exhausted. Retry after the time given.",
        cause: new DomainError("TOO_MANY_REQUESTS", "Rate limit exceeded", {
          reason: "RATE_LIMITED",
          retryAfterSeconds: verified.retryAfterSeconds,
        }),
      });
    }
    if (verified?.status === "quota_exceeded") {
      res?.setHeader("retry-after", String(verified.retryAfterSeconds ?? 1));
      throw new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message: "This API key's monthly quota is used up. Retry after the time given (the next month, in the organization's time zone).",
        cause: new DomainError("TOO_MANY_REQUESTS", "Monthly quota exceeded", {
          reason: "QUOTA_EXCEEDED",
          retryAfterSeconds: verified.retryAfterSeconds,
        }),
      });
    }
    return createInnerContext({
      db: options.db,
      store: options.store,
      identity: verified?.identity ?? null,
      requestId: req.headers["x-request-id"] as string,
      ip: clientAddress({ remoteAddress: req.socket.remoteAddress, forwardedFor: req.headers["x-forwarded-for"], trust: trustProxy }),
      userAgent: req.headers["user-agent"] ?? null,
    });
  };
  const trpc = createHTTPHandler({ router: appRouter, basePath: "/trpc/", createContext: ({ req, res }) => contextOf(req, res) });

  /**
   * GET /v1/organizations/{orgId}/audit/export?format=csv|jsonl&actorId=…&action=…&targetType=…&targetId=…&from=…&to=…
   * for a key with the audit:read scope: the export streamed page by page, with backpressure
   * (a slow reader holds one page in memory, not the log).
   */
  async function auditExport(req: http.IncomingMessage, res: http.ServerResponse, orgId: string, requestId: string) {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return sendJson(res, 405, { error: { code: "METHOD_NOT_SUPPORTED", message: "Use GET", requestId } });
    }
    let exported: Awaited<ReturnType<typeof openAuditExport>>;
    try {
      const query = new URL(req.url ?? "/", "http://gateway.invalid").searchParams;
      exported = await openAuditExport(await contextOf(req, res), orgId, query);
    } catch (error) {
      if (error instanceof AuditExportError) return sendJson(res, error.status, error.body(requestId));
      if (error instanceof TRPCError && error.code === "TOO_MANY_REQUESTS") {
        return sendJson(res, 429, { error: { code: "TOO_MANY_REQUESTS", message: error.message, requestId } });
      }
      console.error(JSON.stringify({ level: "error", requestId, path: "audit.export", message: String(error) }));
      return sendJson(res, 500, { error: { code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on our side", requestId } });
    }
    res.writeHead(200, auditExportHeaders(exported, requestId));
    if (req.method === "HEAD") {
      await exported.body.return(undefined);
      return res.end();
    }
    try {
      await pipeline(Readable.from(exported.body), res);
    } catch (error) {
      // Headers are gone: the client sees a cut-off body (no final newline), and the log says why.
      if (!res.destroyed) res.destroy();
      if ((error as { code?: string }).code !== "ERR_STREAM_PREMATURE_CLOSE") {
        console.error(JSON.stringify({ level: "error", requestId, path: "audit.export", message: String(error) }));
      }
    }
  }

  return http.createServer(async (req, res) => {
    const requestId = requestIdOf(req);
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    const path = (req.url ?? "/").split("?")[0];

    if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (path === "/readyz") {
      const [database, store] = await Promise.all([checkDatabase(options.db), checkStore(options.store ?? getStore())]);
      // Only the database decides readiness: without Redis the app keeps serving (permission
      // checks fall back to PostgreSQL), and failing every instance at once would take it down.
      return sendJson(res, database.reachable ? 200 : 503, { status: database.reachable ? "ready" : "unavailable", database, store });
    }
    if (path?.startsWith("/trpc/")) return trpc(req, res);
    const exportOrg = AUDIT_EXPORT_PATH.exec(path ?? "")?.[1];
    if (exportOrg) return auditExport(req, res, exportOrg, requestId);
    return sendJson(res, 404, { error: { code: "NOT_FOUND", message: `No route for ${path}`, requestId } });
  });
}

/** Starts listening; resolves with the bound port (useful with port 0). */
export function listen(server: http.Server, port: number, host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}
