import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Identity } from "./context.js";
import { budgetRouter } from "./routers/budget/router.js";
import { usageRouter } from "./routers/usage/router.js";
import { createMemoryStore } from "./store/index.js";
import { outcomeOf } from "./testing/outcome.js";
import { apiKeyIdentity, asUser, contextFor, createWorld, type World } from "./testing/world.js";
import { createCallerFactory, router } from "./trpc.js";

/**
 * The `budget` and `usage` routers through their middleware: who may set and read budgets, an
 * API key's charges land on the key and its team, a refusal names the scope and charges
 * nothing, every budget change is audited. Money is a decimal string of micro-units.
 */
const createCaller = createCallerFactory(router({ budget: budgetRouter, usage: usageRouter }));
let testDb: TestDatabase;
let w: World;
let admin: pg.Client;
beforeAll(async () => {
  testDb = await createTestDatabase();
  w = await createWorld(testDb.db, createMemoryStore());
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await testDb?.drop();
});

describe("budget and usage routers", () => {
  let key: Identity;
  beforeAll(async () => {
    key = await apiKeyIdentity(w, ["usage:write", "budget:read"], w.targetTeamId);
  });

  it("lets an admin set budgets at each scope (audited), a member read them, and no key or viewer change them", async () => {
    const owner = createCaller(asUser(w, "owner"));
    const orgBudget = await owner.budget.set({ orgId: w.orgId, scope: "organization", periodLimit: "10000000" });
    expect(orgBudget).toMatchObject({ scope: "organization", scopeId: w.orgId, periodLimit: "10000000", spent: "0", hardLimit: true });
    await createCaller(asUser(w, "admin")).budget.set({ orgId: w.orgId, scope: "team", scopeId: w.parentTeamId, periodLimit: "4000000" });
    const changed = await owner.budget.set({ orgId: w.orgId, scope: "organization", periodLimit: "12000000", alertThresholds: [90, 50] });
    expect(changed).toMatchObject({ id: orgBudget.id, periodLimit: "12000000", alertThresholds: [50, 90] });
    const audit = await admin.query<{ action: string; before: unknown; after: { periodLimit: string } }>(
      "SELECT action, before, after FROM audit_events WHERE organization_id = $1 AND target_id = $2 ORDER BY seq",
      [w.orgId, orgBudget.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(["budget.created", "budget.updated"]);
    expect(audit.rows[1]?.after.periodLimit).toBe("12000000");
    expect(await outcomeOf(createCaller(asUser(w, "viewer")).budget.set({ orgId: w.orgId, scope: "organization", periodLimit: "1" }))).toBe(
      "FORBIDDEN",
    );
    expect(await outcomeOf(createCaller(contextFor(w, key)).budget.set({ orgId: w.orgId, scope: "organization", periodLimit: "1" }))).toBe(
      "FORBIDDEN",
    );
    const list = await createCaller(asUser(w, "member")).budget.list({ orgId: w.orgId });
    expect(list.items.map((b) => b.scope).sort()).toEqual(["organization", "team"]);
    expect(await outcomeOf(owner.budget.set({ orgId: w.orgId, scope: "team", scopeId: w.orgId, periodLimit: "1" }))).toBe("NOT_FOUND");
  });

  it("charges an API key's calls to its team and the team's ancestors, refusing with the scope once the team budget is spent", async () => {
    const asKey = createCaller(contextFor(w, key));
    const first = await asKey.usage.record({ orgId: w.orgId, cost: "3000000", idempotencyKey: "k-1" });
    const replay = await asKey.usage.record({ orgId: w.orgId, cost: "3000000", idempotencyKey: "k-1" });
    expect(replay).toMatchObject({ usageRecordId: first.usageRecordId, replayed: true });
    expect(await outcomeOf(asKey.usage.record({ orgId: w.orgId, cost: "1", idempotencyKey: "k-1" }))).toBe(
      "CONFLICT IDEMPOTENCY_KEY_REUSED",
    );
    const check = await asKey.usage.checkBudget({ orgId: w.orgId, cost: "1000001" });
    expect(check).toMatchObject({ allowed: false, tightest: { scope: "team", scopeId: w.parentTeamId, remaining: "1000000" } });
    expect(await outcomeOf(asKey.usage.reserve({ orgId: w.orgId, cost: "1000001" }))).toBe("PAYMENT_REQUIRED BUDGET_EXCEEDED");
    const held = await asKey.usage.reserve({ orgId: w.orgId, cost: "1000000" });
    expect(held.teamId).toBe(w.targetTeamId);
    const settled = await asKey.usage.settle({ orgId: w.orgId, reservationId: held.reservationId, cost: "400000" });
    expect(settled).toMatchObject({ cost: "400000", released: "600000", replayed: false });
    const rows = await admin.query<{ cost: string; team_id: string; api_key_id: string }>(
      "SELECT cost::text, team_id, api_key_id FROM usage_records WHERE organization_id = $1 ORDER BY usage_records.cost",
      [w.orgId],
    );
    const keyId = key.kind === "api_key" ? key.apiKeyId : null;
    expect(rows.rows).toEqual([
      { cost: "400000", team_id: w.targetTeamId, api_key_id: keyId },
      { cost: "3000000", team_id: w.targetTeamId, api_key_id: keyId },
    ]);
    const team = await createCaller(asUser(w, "owner")).budget.get({ orgId: w.orgId, scope: "team", scopeId: w.parentTeamId });
    expect(team).toMatchObject({ spent: "3400000", reserved: "0", remaining: "600000" });
  });

  it("refuses money that is not a decimal string of micro-units", async () => {
    const asKey = createCaller(contextFor(w, key));
    for (const cost of ["1.5", "-1", "1e6", "0x10", "1234567890123456789"]) {
      expect(await outcomeOf(asKey.usage.record({ orgId: w.orgId, cost }))).toBe("BAD_REQUEST");
    }
  });
});
