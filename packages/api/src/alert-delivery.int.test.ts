import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDueAlerts } from "./services/alerts/deliver.js";
import { forecastAlerts } from "./services/alerts/forecast.js";
import { recordUsage } from "./services/usage/record.js";
import { createMemoryStore } from "./store/index.js";
import { createMailbox } from "./testing/mailbox.js";
import { createWorld, type World } from "./testing/world.js";

/**
 * Alert deliveries (docs/budgets.md, "Alerts and deliveries"): queued per enabled channel in the
 * charging transaction, delivered in-app (owners, admins, the team's leads), by email through the
 * outbox and by signed webhook to a local server (verified here by the documented recipe with
 * Node's crypto), retried with backoff on an injected clock, and refused for private targets.
 */
const SERVER_SECRET = "alert-delivery-test-secret-0123456789abcdef";
process.env.API_KEY_SECRET = SERVER_SECRET;

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}
let testDb: TestDatabase;
let w: World;
let admin: pg.Client;
let server: http.Server;
let received: Received[] = [];
let answerStatus = 200;
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
      res.statusCode = answerStatus;
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/budget`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await admin?.end();
  await testDb?.drop();
});

/** The documented derivation of a channel's secret, written out here independently. */
const secretOf = (channelId: string, salt: string) =>
  `whsec_${createHmac("sha256", SERVER_SECRET).update(`alert-webhook:${channelId}:${salt}`).digest("hex")}`;

/** The documented verification recipe, as a receiver would write it. */
function verify(secret: string, r: Received): boolean {
  const timestamp = String(r.headers["x-aihub-timestamp"]);
  const expected = `v1=${createHmac("sha256", secret).update(`${timestamp}.${r.body}`).digest("hex")}`;
  const got = Buffer.from(String(r.headers["x-aihub-signature"]));
  return got.length === expected.length && timingSafeEqual(got, Buffer.from(expected));
}

async function addChannel(orgId: string, kind: "in_app" | "email" | "webhook", target: string | null, enabled = true) {
  const { rows } = await admin.query<{ id: string; secret_salt: string | null }>(
    `INSERT INTO alert_channels (organization_id, kind, name, email, url, secret_salt, enabled)
     VALUES ($1, $2::alert_channel_kind, $2::text, $3, $4, $5, $6) RETURNING id, secret_salt`,
    [orgId, kind, kind === "email" ? target : null, kind === "webhook" ? target : null, kind === "webhook" ? "salt-1" : null, enabled],
  );
  return rows[0] as { id: string; secret_salt: string | null };
}

async function freshTeamBudget(limit: bigint): Promise<{ budgetId: string }> {
  await admin.query("DELETE FROM alert_channels WHERE organization_id = $1", [w.orgId]);
  await admin.query("DELETE FROM budgets WHERE organization_id = $1", [w.orgId]);
  const { rows } = await admin.query<{ id: string }>(
    "INSERT INTO budgets (organization_id, scope, scope_id, period_limit) VALUES ($1, 'team', $2, $3) RETURNING id",
    [w.orgId, w.targetTeamId, limit.toString()],
  );
  return { budgetId: (rows[0] as { id: string }).id };
}

const charge = (cost: bigint) =>
  recordUsage(
    { db: w.db, orgId: w.orgId },
    { subject: { memberId: w.users.teamMember.memberId, teamId: w.targetTeamId }, charge: { cost } },
  );

const deliveries = async (alertThreshold: number) =>
  (
    await admin.query<{
      channel_id: string | null;
      status: string;
      attempts: number;
      response_status: number | null;
      last_error: string | null;
      next_attempt_at: Date;
    }>(
      `SELECT d.channel_id, d.status::text, d.attempts, d.response_status, d.last_error, d.next_attempt_at
         FROM alert_deliveries d JOIN budget_alerts a ON a.id = d.alert_id
        WHERE d.organization_id = $1 AND a.threshold = $2 AND a.kind = 'threshold' ORDER BY d.created_at, d.channel_id`,
      [w.orgId, alertThreshold],
    )
  ).rows;

describe("alert deliveries", () => {
  it("queues one delivery per enabled channel and delivers in-app, email and a verifiable signed webhook", async () => {
    await freshTeamBudget(10_000_000n);
    const inApp = await addChannel(w.orgId, "in_app", null);
    const mailTo = `alerts-${Date.now()}@example.test`;
    const email = await addChannel(w.orgId, "email", mailTo);
    const hook = await addChannel(w.orgId, "webhook", hookUrl);
    await addChannel(w.orgId, "email", "disabled@example.test", false);
    received = [];
    answerStatus = 200;

    await charge(6_000_000n); // 60% of 10.00: the 50% threshold
    const queued = await deliveries(50);
    expect(queued.map((d) => d.channel_id).sort()).toEqual([inApp.id, email.id, hook.id].sort());
    expect(queued.every((d) => d.status === "pending" && d.attempts === 0)).toBe(true);

    const counts = await deliverDueAlerts(w.db, { allowPrivate: true });
    expect(counts).toEqual({ delivered: 3, retry: 0, failed: 0 });
    expect((await deliveries(50)).map((d) => [d.status, d.attempts])).toEqual([
      ["delivered", 1],
      ["delivered", 1],
      ["delivered", 1],
    ]);

    // The webhook: signed by the recipe, within the timestamp's tolerance, with the alert in it.
    expect(received).toHaveLength(1);
    const hit = received[0] as Received;
    expect(verify(secretOf(hook.id, "salt-1"), hit)).toBe(true);
    expect(verify(secretOf(hook.id, "another-salt"), hit)).toBe(false);
    expect(verify(secretOf(hook.id, "salt-1"), { ...hit, body: hit.body.replace('"threshold":50', '"threshold":51') })).toBe(false);
    expect(Math.abs(Number(hit.headers["x-aihub-timestamp"]) - Date.now() / 1000)).toBeLessThan(300);
    const payload = JSON.parse(hit.body);
    expect(payload).toMatchObject({
      type: "budget.alert",
      organization: { id: w.orgId },
      alert: { kind: "threshold", threshold: 50, spent: "6000000" },
      budget: { scope: "team", scopeId: w.targetTeamId, periodLimit: "10000000" },
    });
    expect(hit.headers["content-type"]).toBe("application/json");

    // In-app: owner, admin and the leads of the team and of its parent — nobody else.
    const { rows: notified } = await admin.query<{ user_id: string }>(
      "SELECT user_id FROM notifications WHERE organization_id = $1 AND kind = 'budget.alert'",
      [w.orgId],
    );
    expect(notified.map((n) => n.user_id).sort()).toEqual(
      [w.users.owner.userId, w.users.admin.userId, w.users.directLead.userId, w.users.targetLead.userId].sort(),
    );

    // Email: through the outbox into the mailbox.
    const mailbox = createMailbox();
    const message = await mailbox.latest(w.db, mailTo);
    expect(message.subject).toMatch(/Budget alert: .* reached 50%/);
    expect(message.text).toContain("6.00 USD");
    expect(mailbox.messages.some((m) => m.to === "disabled@example.test")).toBe(false);

    // A second round finds nothing due; a second charge past 50% queues nothing new for it.
    expect(await deliverDueAlerts(w.db, { allowPrivate: true })).toEqual({ delivered: 0, retry: 0, failed: 0 });
    await charge(500_000n);
    expect(await deliveries(50)).toHaveLength(3);
  });

  it("writes the email in the language of the person who made the channel (zh-CN)", async () => {
    await freshTeamBudget(10_000_000n);
    await addChannel(w.orgId, "in_app", null, false);
    const mailTo = `zh-${Date.now()}@example.test`;
    const channel = await addChannel(w.orgId, "email", mailTo);
    await admin.query("UPDATE alert_channels SET created_by = $2 WHERE id = $1", [channel.id, w.users.admin.userId]);
    await admin.query("UPDATE users SET locale = 'zh-CN' WHERE id = $1", [w.users.admin.userId]);
    try {
      await charge(8_000_000n); // 50% and 80%
      await deliverDueAlerts(w.db);
      const mailbox = createMailbox();
      await mailbox.collect(w.db);
      const mine = mailbox.messages.filter((m) => m.to === mailTo).map((m) => m.subject);
      expect(mine.sort()).toEqual([expect.stringMatching(/^预算提醒:.*已达到 50%$/), expect.stringMatching(/^预算提醒:.*已达到 80%$/)]);
    } finally {
      await admin.query("UPDATE users SET locale = 'en' WHERE id = $1", [w.users.admin.userId]);
    }
  });

  it("with no in-app channel, owners and admins still get the in-app alert", async () => {
    const { budgetId } = await freshTeamBudget(10_000_000n);
    await charge(5_000_000n);
    const queued = await deliveries(50);
    expect(queued.map((d) => d.channel_id)).toEqual([null]);
    await deliverDueAlerts(w.db);
    const { rows } = await admin.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM notifications n WHERE n.organization_id = $1 AND n.kind = 'budget.alert' AND n.created_at > now() - interval '1 minute' AND n.user_id = $2",
      [w.orgId, w.users.owner.userId],
    );
    expect(rows[0]?.n).toBeGreaterThanOrEqual(1);
    const { rows: alert } = await admin.query("SELECT delivered_at FROM budget_alerts WHERE budget_id = $1", [budgetId]);
    expect(alert[0]?.delivered_at).toBeInstanceOf(Date);
  });

  it("does not send an alert recorded after its period ended (history such as the demo seed)", async () => {
    const { budgetId } = await freshTeamBudget(10_000_000n);
    const { rows } = await admin.query<{ id: string }>(
      "INSERT INTO budget_alerts (organization_id, budget_id, period_start, threshold, spend_at_alert) VALUES ($1, $2, '2020-01-01', 80, 8000000) RETURNING id",
      [w.orgId, budgetId],
    );
    const alertId = (rows[0] as { id: string }).id;
    const before = await admin.query("SELECT count(*)::int AS n FROM notifications WHERE organization_id = $1", [w.orgId]);
    expect(await deliverDueAlerts(w.db)).toEqual({ delivered: 0, retry: 0, failed: 1 });
    const after = await admin.query("SELECT count(*)::int AS n FROM notifications WHERE organization_id = $1", [w.orgId]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const { rows: d } = await admin.query("SELECT status::text, last_error FROM alert_deliveries WHERE alert_id = $1", [alertId]);
    expect(d).toEqual([{ status: "failed", last_error: "not sent: the alert was recorded after its period ended" }]);
  });

  it("retries a failing webhook after 1 min, 5 min, 30 min, 2 h and 6 h, then marks it failed, recording every attempt", async () => {
    await freshTeamBudget(10_000_000n);
    await addChannel(w.orgId, "in_app", null, false);
    await addChannel(w.orgId, "webhook", hookUrl);
    received = [];
    answerStatus = 500;
    await charge(5_000_000n);
    const t0 = Date.now() + 1_000;
    const at = (ms: number) => new Date(t0 + ms);
    const waits = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];
    let clock = 0;
    expect(await deliverDueAlerts(w.db, { now: at(clock), allowPrivate: true })).toEqual({ delivered: 0, retry: 1, failed: 0 });
    for (const [i, wait] of waits.entries()) {
      const [d] = await deliveries(50);
      expect(d).toMatchObject({ status: "pending", attempts: i + 1, response_status: 500, last_error: "HTTP 500" });
      expect(d?.next_attempt_at.getTime()).toBe(at(clock + wait).getTime());
      // Not due a moment before.
      expect(await deliverDueAlerts(w.db, { now: at(clock + wait - 1_000), allowPrivate: true })).toEqual({
        delivered: 0,
        retry: 0,
        failed: 0,
      });
      clock += wait;
      const last = i === waits.length - 1;
      expect(await deliverDueAlerts(w.db, { now: at(clock), allowPrivate: true })).toEqual({
        delivered: 0,
        retry: last ? 0 : 1,
        failed: last ? 1 : 0,
      });
    }
    const [final] = await deliveries(50);
    expect(final).toMatchObject({ status: "failed", attempts: 6, response_status: 500, last_error: "HTTP 500" });
    expect(received).toHaveLength(6);
    expect(await deliverDueAlerts(w.db, { now: at(clock + 86_400_000), allowPrivate: true })).toEqual({
      delivered: 0,
      retry: 0,
      failed: 0,
    });
  });

  it("refuses a private target at send time: no request leaves, the attempt is recorded with the reason", async () => {
    await freshTeamBudget(10_000_000n);
    await addChannel(w.orgId, "in_app", null, false);
    await addChannel(w.orgId, "webhook", hookUrl); // 127.0.0.1: private
    received = [];
    answerStatus = 200;
    await charge(5_000_000n);
    expect(await deliverDueAlerts(w.db, { allowPrivate: false })).toEqual({ delivered: 0, retry: 1, failed: 0 });
    const [d] = await deliveries(50);
    expect(d?.last_error).toMatch(/^refused: .*private/);
    expect(d?.response_status).toBeNull();
    expect(received).toHaveLength(0);
  });
});

describe("forecast alerts", () => {
  it("fires once when the month-end projection passes the limit, computed exactly", async () => {
    const { budgetId } = await freshTeamBudget(100_000_000n);
    const other = await admin.query<{ id: string }>(
      "INSERT INTO budgets (organization_id, scope, scope_id, period_limit) VALUES ($1, 'team', $2, 100000000) RETURNING id",
      [w.orgId, w.siblingTeamId],
    );
    const otherId = (other.rows[0] as { id: string }).id;
    await admin.query("UPDATE organizations SET timezone = 'UTC', budget_timezone = NULL, budget_timezone_until = NULL WHERE id = $1", [
      w.orgId,
    ]);
    // November 2030 (30 days), in UTC: 60.00 spent by the 11th (10 days) projects 180.00; 20.00 projects 60.00.
    await admin.query(
      "INSERT INTO budget_periods (organization_id, budget_id, period_start, spend) VALUES ($1, $2, '2030-11-01', 60000000), ($1, $3, '2030-11-01', 20000000)",
      [w.orgId, budgetId, otherId],
    );
    // Within the first day: no projection yet.
    expect(await forecastAlerts(w.db, w.orgId, new Date("2030-11-01T20:00:00Z"))).toBe(0);
    expect(await forecastAlerts(w.db, w.orgId, new Date("2030-11-11T00:00:00Z"))).toBe(1);
    expect(await forecastAlerts(w.db, w.orgId, new Date("2030-11-12T00:00:00Z"))).toBe(0);
    const { rows } = await admin.query<{
      budget_id: string;
      kind: string;
      threshold: number;
      spend_at_alert: string;
      projected_spend: string;
    }>(
      "SELECT budget_id, kind::text, threshold, spend_at_alert::text, projected_spend::text FROM budget_alerts WHERE organization_id = $1 AND kind = 'forecast'",
      [w.orgId],
    );
    expect(rows).toEqual([
      { budget_id: budgetId, kind: "forecast", threshold: 100, spend_at_alert: "60000000", projected_spend: "180000000" },
    ]);
    // Its delivery is queued like a threshold alert's (the default in-app one here).
    const { rows: queued } = await admin.query(
      "SELECT d.status::text FROM alert_deliveries d JOIN budget_alerts a ON a.id = d.alert_id WHERE a.kind = 'forecast'",
    );
    expect(queued).toEqual([{ status: "pending" }]);
    // Delivered in-app, saying the day the limit is reached at that rate: 100.00 at 6.00 a day is
    // 16⅔ days after 1 November 00:00 UTC, on 17 November.
    await deliverDueAlerts(w.db, { now: new Date("2030-11-11T00:00:00Z") });
    const { rows: note } = await admin.query<{ body: string }>(
      "SELECT body FROM notifications WHERE organization_id = $1 AND user_id = $2 AND title LIKE 'Budget forecast%'",
      [w.orgId, w.users.owner.userId],
    );
    expect(note.map((n) => n.body)).toEqual([
      "At the current rate it will exceed 100.00 USD on 2030-11-17: 180.00 USD projected this month.",
    ]);
  });
});
