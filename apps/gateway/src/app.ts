import { randomUUID } from "node:crypto";
import { appRouter, getStore, type Store } from "@aihub/api";
import { parseTrustProxy, type TrustProxy } from "@aihub/api/config";
import type { Database } from "@aihub/db";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { routePath } from "hono/route";
import type { AuthDeps } from "./auth.js";
import type { GatewayEnv } from "./gateway-env.js";
import { createLogger, type Logger } from "./observability/logger.js";
import { createGatewayMetrics, type GatewayMetrics } from "./observability/metrics.js";
import { RequestTiming, timeDatabaseQueries, withRequestTiming } from "./observability/server-timing.js";
import { errorResponse } from "./routes/errors.js";
import { exportRoutes } from "./routes/exports.js";
import { healthRoutes } from "./routes/health.js";
import { metricsRoutes } from "./routes/metrics.js";
import { openaiRoutes } from "./routes/openai.js";
import { restRoutes } from "./routes/rest.js";
import { trpcRoutes } from "./routes/trpc.js";

export interface GatewayOptions {
  db: Database;
  store?: Store;
  /** Whose X-Forwarded-For to believe (default: TRUST_PROXY); else the socket's peer is the client. */
  trustProxy?: TrustProxy;
  logger?: Logger;
  metrics?: GatewayMetrics;
  /** Cluster-wide metrics (the primary's relay); default: this process's registry. */
  collectMetrics?: () => Promise<string>;
  /** Largest request body accepted, in bytes (default GATEWAY_BODY_LIMIT_BYTES or 1 MiB). */
  bodyLimitBytes?: number;
  /** True once the process is shutting down: readiness answers 503. */
  isDraining?: () => boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
const DEFAULT_BODY_LIMIT = 1024 * 1024;
const procedureNames = new Set(Object.keys(appRouter._def.procedures));

/** A metrics label for the route: the pattern matched, or the tRPC procedure (a bounded set). */
function routeLabel(pattern: string, path: string): string {
  if (pattern !== "/trpc/*") return pattern;
  const procedure = path.slice("/trpc/".length);
  return procedureNames.has(procedure) ? `/trpc/${procedure}` : "/trpc/*";
}

/**
 * The gateway's HTTP application (Hono): the router at /trpc for API-key and personal-token
 * callers, its REST mirror under /v1 (with /v1/openapi.json), the audit export, health,
 * readiness and metrics. Every response carries `x-request-id` (the caller's when it is a sane
 * token, else a fresh one) and `Server-Timing`; every request is counted, timed and logged as
 * one line with its request id.
 */
export function createGatewayApp(options: GatewayOptions): { app: Hono<GatewayEnv>; metrics: GatewayMetrics; logger: Logger } {
  const store = options.store ?? getStore();
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? createGatewayMetrics();
  const trustProxy = options.trustProxy ?? parseTrustProxy(process.env.TRUST_PROXY);
  const deps: AuthDeps = { db: options.db, store, trustProxy, metrics };
  const maxSize = options.bodyLimitBytes ?? (Number(process.env.GATEWAY_BODY_LIMIT_BYTES) || DEFAULT_BODY_LIMIT);
  timeDatabaseQueries(options.db);

  const app = new Hono<GatewayEnv>();
  app.use(async (c, next) => {
    const given = c.req.header("x-request-id");
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    const timing = new RequestTiming();
    c.set("requestId", requestId);
    c.set("timing", timing);
    c.set("log", logger.child({ requestId }));
    metrics.inFlight.inc();
    try {
      await withRequestTiming(timing, next);
    } finally {
      metrics.inFlight.dec();
    }
    const route = routeLabel(routePath(c), c.req.path);
    const seconds = (performance.now() - timing.startedAt) / 1000;
    c.res.headers.set("x-request-id", requestId);
    c.res.headers.set("server-timing", timing.header());
    metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.duration.observe({ method: c.req.method, route }, seconds);
    // The path without its query (tRPC inputs travel there), never headers or bodies.
    c.get("log").info(
      { method: c.req.method, path: c.req.path, route, status: c.res.status, ms: Math.round(seconds * 10_000) / 10 },
      "request",
    );
  });
  const limitBody = bodyLimit({
    maxSize,
    onError: (c) => errorResponse(c, 413, "PAYLOAD_TOO_LARGE", `The request body is larger than ${maxSize} bytes`),
  });
  // A GET or HEAD has no body to limit (the fetch Request it would become has none): skip the
  // check, which would otherwise build that whole Request (headers, abort signal) to find out.
  const limitBodyOfWrites: typeof limitBody = (c, next) =>
    c.req.method === "GET" || c.req.method === "HEAD" ? next() : limitBody(c, next);
  app.use("/trpc/*", limitBodyOfWrites);
  app.use("/v1/*", limitBodyOfWrites);

  app.route("/", healthRoutes({ db: options.db, store, isDraining: options.isDraining ?? (() => false) }));
  app.route("/", metricsRoutes(metrics, options.collectMetrics));
  app.route("/", trpcRoutes(deps));
  app.route("/", exportRoutes(deps));
  app.route("/", openaiRoutes(deps));
  app.route("/", restRoutes(deps));

  app.notFound((c) => errorResponse(c, 404, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    c.get("log").error({ err: error }, "unhandled error");
    return errorResponse(c, 500, "INTERNAL_SERVER_ERROR", "Something went wrong on our side");
  });
  return { app, metrics, logger };
}
