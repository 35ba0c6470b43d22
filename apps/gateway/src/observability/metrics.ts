import type { ApiKeyStatus } from "@aihub/api";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * The gateway's Prometheus metrics, in a registry of their own (a process may run several
 * gateways, as the tests do). Labels are bounded sets — route patterns, procedure names, status
 * codes, verification outcomes — never an organization, a key or a user: /metrics reveals no tenant.
 */
export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<"method" | "route" | "status">;
  duration: Histogram<"method" | "route">;
  inFlight: Gauge;
  verifications: Counter<"status">;
  keyRowSource: Counter<"source">;
}

export function createGatewayMetrics(options: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "aihub_gateway_" });
  return {
    registry,
    requests: new Counter({
      name: "aihub_gateway_http_requests_total",
      help: "HTTP requests answered, by method, route (pattern or tRPC procedure) and status code.",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    duration: new Histogram({
      name: "aihub_gateway_http_request_duration_seconds",
      help: "Time from the request's arrival to its response headers, by method and route.",
      labelNames: ["method", "route"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    inFlight: new Gauge({ name: "aihub_gateway_http_in_flight_requests", help: "Requests being served now.", registers: [registry] }),
    verifications: new Counter({
      name: "aihub_gateway_api_key_verifications_total",
      help: "Presented API keys by verification outcome (valid, not_found, revoked, expired, org_deleted, rate_limited, quota_exceeded).",
      labelNames: ["status"],
      registers: [registry],
    }),
    keyRowSource: new Counter({
      name: "aihub_gateway_api_key_lookups_total",
      help: "Where a presented key's record came from: store (the shared cache: a hit), local (the in-process cache while the store is down) or database (a miss). Hit rate = store / (store + database).",
      labelNames: ["source"],
      registers: [registry],
    }),
  };
}

export function countVerification(metrics: GatewayMetrics, status: ApiKeyStatus): void {
  metrics.verifications.inc({ status });
}
