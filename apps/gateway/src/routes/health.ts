import { checkDatabase, type Store } from "@aihub/api";
import type { Database } from "@aihub/db";
import { Hono } from "hono";
import type { GatewayEnv } from "../gateway-env.js";

async function checkStore(store: Store): Promise<{ kind: Store["kind"]; reachable: boolean }> {
  try {
    await store.get("readyz");
    return { kind: store.kind, reachable: true };
  } catch {
    return { kind: store.kind, reachable: false };
  }
}

/**
 * Liveness (/healthz: the process answers) and readiness (/readyz: the database answers and the
 * process is not draining). Only the database decides readiness: without Redis the app keeps
 * serving (permission checks fall back to PostgreSQL), and failing every instance at once would
 * take it down. A draining process answers 503 so a load balancer stops sending it work.
 */
export function healthRoutes(deps: { db: Database; store: Store; isDraining: () => boolean }) {
  return new Hono<GatewayEnv>()
    .get("/healthz", (c) => c.json({ status: "ok" }))
    .get("/readyz", async (c) => {
      const [database, store] = await Promise.all([checkDatabase(deps.db), checkStore(deps.store)]);
      const draining = deps.isDraining();
      const ready = database.reachable && !draining;
      c.header("cache-control", "no-store");
      return c.json({ status: draining ? "draining" : ready ? "ready" : "unavailable", database, store }, ready ? 200 : 503);
    });
}
