import { type Context, createRestHandler } from "@aihub/api";
import { Hono } from "hono";
import { type AuthDeps, contextForRequest } from "../auth.js";
import { facts, type GatewayEnv } from "../gateway-env.js";
import type { Logger } from "../observability/logger.js";

/**
 * The REST mirror (`/v1/openapi.json` and every documented route under `/v1`) for callers not
 * written in TypeScript: the same procedures, authentication and errors as /trpc.
 */
export function restRoutes(deps: AuthDeps) {
  // The handler sees only the fetch Request: what the gateway knows of it waits here.
  const pending = new WeakMap<Request, { context: () => Promise<Context>; log: Logger }>();
  const handle = createRestHandler({
    createContext: (request) => {
      const entry = pending.get(request);
      if (!entry) throw new Error("REST request without gateway context");
      return entry.context();
    },
    onError: ({ error, procedure, request }) => {
      // Internal failures are masked for the client; the log keeps the cause.
      if (error.code === "INTERNAL_SERVER_ERROR")
        pending.get(request)?.log.error({ procedure, err: error.cause ?? error }, "procedure failed");
    },
  });
  return new Hono<GatewayEnv>().all("/v1/*", (c) => {
    pending.set(c.req.raw, { context: () => contextForRequest(deps, facts(c), new Headers()), log: c.get("log") });
    return handle(c.req.raw);
  });
}
