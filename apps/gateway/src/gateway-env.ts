import type { HttpBindings } from "@hono/node-server";
import type { Context as HonoContext } from "hono";
import type { RequestFacts } from "./auth.js";
import type { Logger } from "./observability/logger.js";
import type { RequestTiming } from "./observability/server-timing.js";

/** What every request carries through the gateway's middleware. */
export type GatewayEnv = {
  Bindings: HttpBindings;
  Variables: { requestId: string; log: Logger; timing: RequestTiming };
};

/** The request as the authentication step sees it. */
export function facts(c: HonoContext<GatewayEnv>): RequestFacts {
  return {
    authorization: c.req.header("authorization"),
    requestId: c.get("requestId"),
    remoteAddress: c.env.incoming.socket.remoteAddress,
    forwardedFor: c.req.header("x-forwarded-for"),
    userAgent: c.req.header("user-agent"),
    idempotencyKey: c.req.header("idempotency-key"),
    timing: c.get("timing"),
  };
}
