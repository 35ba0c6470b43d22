import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { alertRouter } from "./routers/alert/router.js";
import { deliverDueAlerts } from "./services/alerts/deliver.js";
import { recordUsage } from "./services/usage/record.js";
import { createMemoryStore } from "./store/index.js";
import { outcomeOf } from "./testing/outcome.js";
import { asUser, createWorld, type World } from "./testing/world.js";
import { createCallerFactory, router } from "./trpc.js";

/**
 * Alert channels through the router: the webhook secret is shown once and signs what the
 * channel receives (checked by the documented recipe), `testChannel` sends now, private targets
 * are refused when saved, changes are audited, and `alert.list` shows each alert's deliveries.
 */
process.env.API_KEY_SECRET ??= "alert-channels-test-secret-0123456789abcdef";
const createCaller = createCallerFactory(router({ alert: alertRouter }));
let testDb: TestDatabase;
let w: World;
let admin: pg.Client;
let server: http.Server;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let hookUrl = "";

beforeAll(async () => {
  testDb = await createTestDatabase();
  w = await createWorld(testDb.db, createMemoryStore());
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await admin?.end();
  await testDb?.drop();
});
afterEach(() => {
  delete process.env.ALERT_WEBHOOK_ALLOW_PRIVATE;
});

const sign = (secret: string, timestamp: string, body: string) =>
  `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;

describe("alert channels", () => {
  it("refuses private and loopback webhook targets when saved, and a field of another kind", async () => {
    const owner = createCaller(asUser(w, "owner"));
    for (const url of [
      "http://127.0.0.1:8080/x",
      "http://[::1]/x",
      "http://169.254.169.254/latest",
      "http://10.0.0.7/x",
      "http://[::ffff:192.168.0.1]/",
    ]) {
      expect(await outcomeOf(owner.alert.createChannel({ orgId: w.orgId, kind: "webhook", name: "Internal", url }))).toBe(
        "BAD_REQUEST PRIVATE_ADDRESS",
      );
    }
    expect(
      await outcomeOf(owner.alert.createChannel({ orgId: w.orgId, kind: "webhook", name: "FTP", url: "ftp://example.com/x" })),
    ).toMatch(/^BAD_REQUEST/);
    const mail = await owner.alert.createChannel({ orgId: w.orgId, kind: "email", name: "Finance", email: "finance@example.test" });
    expect(mail.secret).toBeUndefined();
    expect(await outcomeOf(owner.alert.updateChannel({ orgId: w.orgId, channelId: mail.id, url: "https://example.com/" }))).toBe(
      "BAD_REQUEST CHANNEL_KIND_MISMATCH",
    );
    const { rows } = await admin.query("SELECT count(*)::int AS n FROM alert_channels WHERE organization_id = $1 AND kind = 'webhook'", [
      w.orgId,
    ]);
    expect(rows[0]?.n).toBe(0);
  });

  it("shows a webhook's secret once; the test message and alerts are signed with it; every change is audited", async () => {
    process.env.ALERT_WEBHOOK_ALLOW_PRIVATE = "1";
    const owner = createCaller(asUser(w, "owner"));
    const created = await owner.alert.createChannel({ orgId: w.orgId, kind: "webhook", name: "Ops", url: hookUrl });
    expect(created.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const secret = created.secret as string;
    const listed = await createCaller(asUser(w, "viewer")).alert.listChannels({ orgId: w.orgId });
    const mine = listed.items.find((c) => c.id === created.id);
    expect(mine).toMatchObject({ kind: "webhook", url: hookUrl, enabled: true });
    expect(mine && "secret" in mine).toBe(false);
    // Nothing in the row lets the database alone sign.
    const { rows: stored } = await admin.query("SELECT row_to_json(c)::text AS j FROM alert_channels c WHERE id = $1", [created.id]);
    expect(stored[0]?.j).not.toContain(secret.slice(6));

    received.length = 0;
    const tested = await owner.alert.testChannel({ orgId: w.orgId, channelId: created.id });
    expect(tested).toMatchObject({ ok: true, status: 200 });
    expect(received).toHaveLength(1);
    const hit = received[0] as (typeof received)[number];
    expect(hit.headers["x-aihub-signature"]).toBe(sign(secret, String(hit.headers["x-aihub-timestamp"]), hit.body));
    expect(JSON.parse(hit.body)).toMatchObject({ type: "budget.alert.test", organization: { id: w.orgId } });

    // Rotating gives a new secret; what is sent afterwards is signed with it, not the old one.
    const rotated = await owner.alert.updateChannel({ orgId: w.orgId, channelId: created.id, rotateSecret: true });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);

    // A real alert: queued for the channel, delivered, visible in alert.list with its delivery.
    const { rows: b } = await admin.query<{ id: string }>(
      "INSERT INTO budgets (organization_id, scope, scope_id, period_limit) VALUES ($1, 'team', $2, 10000000) RETURNING id",
      [w.orgId, w.targetTeamId],
    );
    const budgetId = (b[0] as { id: string }).id;
    await recordUsage(
      { db: w.db, orgId: w.orgId },
      { subject: { memberId: w.users.teamMember.memberId, teamId: w.targetTeamId }, charge: { cost: 8_000_000n } },
    );
    received.length = 0;
    await deliverDueAlerts(w.db, { allowPrivate: true });
    expect(received.length).toBe(2); // the 50% and 80% alerts
    for (const r of received) {
      expect(r.headers["x-aihub-signature"]).toBe(sign(rotated.secret as string, String(r.headers["x-aihub-timestamp"]), r.body));
      expect(r.headers["x-aihub-signature"]).not.toBe(sign(secret, String(r.headers["x-aihub-timestamp"]), r.body));
    }
    const alerts = await createCaller(asUser(w, "viewer")).alert.list({ orgId: w.orgId, budgetId });
    expect(alerts.items.map((a) => a.threshold).sort()).toEqual([50, 80]);
    for (const a of alerts.items) {
      expect(a.spent).toBe("8000000");
      const hook = a.deliveries.find((d) => d.channelId === created.id);
      expect(hook).toMatchObject({ channelKind: "webhook", status: "delivered", attempts: 1, responseStatus: 200, lastError: null });
    }

    await owner.alert.deleteChannel({ orgId: w.orgId, channelId: created.id });
    const { rows: trail } = await admin.query<{ action: string; after: unknown }>(
      "SELECT action, after FROM audit_events WHERE organization_id = $1 AND target_id = $2 ORDER BY seq",
      [w.orgId, created.id],
    );
    expect(trail.map((t) => t.action)).toEqual(["alert_channel.created", "alert_channel.updated", "alert_channel.deleted"]);
    expect(JSON.stringify(trail)).not.toContain("whsec_");
    expect(trail[0]?.after).toMatchObject({ kind: "webhook", urlHost: new URL(hookUrl).host });
  });
});
