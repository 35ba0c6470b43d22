import http from "node:http";
import { getRequestListener } from "@hono/node-server";
import { createGatewayApp, type GatewayOptions } from "./app.js";
import type { Logger } from "./observability/logger.js";
import type { GatewayMetrics } from "./observability/metrics.js";

export type { GatewayOptions } from "./app.js";
export { createGatewayApp } from "./app.js";
export { createLogger } from "./observability/logger.js";
export { createGatewayMetrics, type GatewayMetrics } from "./observability/metrics.js";

export interface Gateway {
  server: http.Server;
  metrics: GatewayMetrics;
  logger: Logger;
  /** True from the start of `drain` on: /readyz answers 503. */
  readonly draining: boolean;
  /**
   * Graceful shutdown: stop accepting connections, let requests in flight finish (closing
   * keep-alive connections as they fall idle), and after `timeoutMs` cut what is left.
   * Resolves with the number of connections that had to be cut.
   */
  drain(timeoutMs?: number): Promise<{ cut: number }>;
}

/** The gateway on a node:http server (not yet listening). */
export function createGateway(options: GatewayOptions): Gateway {
  let draining = false;
  const { app, metrics, logger } = createGatewayApp({ ...options, isDraining: () => draining || (options.isDraining?.() ?? false) });
  const server = http.createServer(
    {
      // A slow client cannot hold a connection open forever sending its headers or its body.
      headersTimeout: 20_000,
      requestTimeout: 120_000,
      keepAliveTimeout: 5_000,
    },
    getRequestListener(app.fetch, { overrideGlobalObjects: false }),
  );
  const open = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  });
  return {
    server,
    metrics,
    logger,
    get draining() {
      return draining;
    },
    async drain(timeoutMs = 10_000) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      const outcome = await Promise.race([closed.then(() => "closed" as const), timedOut]);
      clearInterval(idleSweep);
      clearTimeout(timer);
      if (outcome === "closed") return { cut: 0 };
      const cut = open.size;
      server.closeAllConnections();
      await closed;
      return { cut };
    },
  };
}

/** The gateway's HTTP server (not yet listening); `createGateway` also gives metrics and draining. */
export function createGatewayServer(options: GatewayOptions): http.Server {
  return createGateway(options).server;
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
