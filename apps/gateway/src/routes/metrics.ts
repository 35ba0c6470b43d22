import { Hono } from "hono";
import type { GatewayEnv } from "../gateway-env.js";
import type { GatewayMetrics } from "../observability/metrics.js";

/**
 * Prometheus metrics. With several workers, `collect` (given by the cluster primary's relay)
 * answers for all of them together; alone, the process's own registry answers.
 */
export function metricsRoutes(metrics: GatewayMetrics, collect?: () => Promise<string>) {
  return new Hono<GatewayEnv>().get("/metrics", async (c) => {
    const text = collect ? await collect() : await metrics.registry.metrics();
    return c.body(text, 200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
  });
}
