import { createMemoryStore, issueApiKey } from "@aihub/api";
import { bootstrapDatabase, createDatabase, type Database, migrate } from "@aihub/db";
import { createOrg, createPrivateCluster, type PrivateCluster } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway, listen } from "./server.js";

/**
 * PostgreSQL restarted under load, on a cluster of this test's own (never the machine's shared
 * one): while it is down, calls fail cleanly — 503 with the request id in the error envelope,
 * never a 500, no crash, no unhandled pool error — and the gateway recovers by itself when it is
 * back, without a restart.
 */
let cluster: PrivateCluster;
let db: Database;
let gateway: Gateway;
let base: string;
let orgId: string;
let key: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  cluster = await createPrivateCluster();
  await bootstrapDatabase({ adminUrl: cluster.adminUrl(), database: "aihub" });
  await migrate(cluster.ownerUrl("aihub"));
  db = createDatabase({ url: cluster.appUrl("aihub"), poolMax: 10 });
  const { org, owner } = await createOrg(db, { name: "Restart Co" });
  orgId = org.id;
  const access = { kind: "member" as const, memberId: owner.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
  key = (
    await issueApiKey(
      db,
      { userId: owner.user.id, access },
      { orgId, name: "svc", scopes: ["org:read", "team:read"], rateLimitPerMinute: 1_000_000 },
    )
  ).key;
  gateway = createGateway({ db, store: createMemoryStore() });
  base = `http://127.0.0.1:${await listen(gateway.server, 0)}`;
}, 120_000);
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  gateway?.server.close();
  await db?.close();
  await cluster?.drop();
});

interface Outcome {
  at: number;
  status: number;
  code?: string;
  requestId?: string;
  headerRequestId: string | null;
}

describe("PostgreSQL restarted under load", () => {
  it("answers 503 with the request id while it is down, never 500, and recovers by itself", async () => {
    const outcomes: Outcome[] = [];
    let running = true;
    const client = async () => {
      while (running) {
        const response = await fetch(`${base}/v1/organizations/${orgId}`, { headers: { authorization: `Bearer ${key}` } });
        const body = (await response.json()) as { error?: { code?: string; requestId?: string } };
        outcomes.push({
          at: Date.now(),
          status: response.status,
          code: body.error?.code,
          requestId: body.error?.requestId,
          headerRequestId: response.headers.get("x-request-id"),
        });
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((r) => setTimeout(r, 500));
    const stoppedAt = Date.now();
    await cluster.stop();
    await new Promise((r) => setTimeout(r, 1_500));
    await cluster.start();
    const startedAt = Date.now();
    // Until calls succeed again (at most 15 s), then a little more.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !outcomes.some((o) => o.at > startedAt && o.status === 200))
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await Promise.all(clients);

    const byStatus = new Map<number, number>();
    for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    console.info(`postgres restart: ${[...byStatus].map(([s, n]) => `${s}×${n}`).join(", ")}`);
    expect([...byStatus.keys()].sort()).toEqual([200, 503]);
    const refused = outcomes.filter((o) => o.status === 503);
    expect(refused.every((o) => o.code === "SERVICE_UNAVAILABLE" && o.requestId && o.requestId === o.headerRequestId)).toBe(true);
    expect(outcomes.some((o) => o.at < stoppedAt && o.status === 200)).toBe(true);
    // Recovered without a restart of the gateway: the last calls all succeeded.
    expect(outcomes.slice(-8).every((o) => o.status === 200)).toBe(true);
    expect(unhandled).toEqual([]);
  }, 60_000);
});
