import { appRouter } from "@aihub/api";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import { type AuthDeps, contextForRequest } from "../auth.js";
import { facts, type GatewayEnv } from "../gateway-env.js";

/** The same router as the console's, for callers with an organization API key. */
export function trpcRoutes(deps: AuthDeps) {
  return new Hono<GatewayEnv>().all("/trpc/*", (c) =>
    fetchRequestHandler({
      endpoint: "/trpc",
      req: c.req.raw,
      router: appRouter,
      createContext: ({ resHeaders }) => contextForRequest(deps, facts(c), resHeaders),
      onError: ({ error, path }) => {
        // Internal failures are masked for the client (errorFormatter); the log keeps the cause.
        if (error.code === "INTERNAL_SERVER_ERROR") c.get("log").error({ path, err: error.cause ?? error }, "procedure failed");
      },
    }),
  );
}
