import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetRouter } from "./routers/budget/router.js";
import { usageRouter } from "./routers/usage/router.js";
import { createMemoryStore } from "./store/index.js";
import { outcomeOf } from "./testing/outcome.js";
import { asUser, createWorld, type World } from "./testing/world.js";
import { createCallerFactory, router } from "./trpc.js";

/**
 * The allocation tree and budget increase requests through the routers: a child above its
 * parent needs saying so, an approved increase raises what charges are held to until it ends,
 * self-approval and stale requests are refused, and every step is audited and notified.
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

const days = (n: number) => new Date(Date.now() + n * 86_400_000);
const budgetCount = async () =>
  (await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM budgets WHERE organization_id = $1", [w.orgId])).rows[0]?.n;

describe("allocation tree", () => {
  it("refuses a child above the budget it sits under unless told, and shows it with warnings", async () => {
    const owner = createCaller(asUser(w, "owner"));
    const org = await owner.budget.set({ orgId: w.orgId, scope: "organization", periodLimit: "100000000" });
    const parent = await owner.budget.set({ orgId: w.orgId, scope: "team", scopeId: w.parentTeamId, periodLimit: "60000000" });
    const before = await budgetCount();
    // The target team sits under the parent team (60.00): 70.00 is refused and nothing is written.
    expect(await outcomeOf(owner.budget.set({ orgId: w.orgId, scope: "team", scopeId: w.targetTeamId, periodLimit: "70000000" }))).toBe(
      "BAD_REQUEST ABOVE_PARENT_BUDGET",
    );
    expect(await budgetCount()).toBe(before);
    const target = await owner.budget.set({
      orgId: w.orgId,
      scope: "team",
      scopeId: w.targetTeamId,
      periodLimit: "70000000",
      allowAboveParent: true,
    });
    // The target's sibling (also under the parent): 70.00 + 50.00 allocated under the parent's 60.00.
    const sibling = await owner.budget.set({ orgId: w.orgId, scope: "team", scopeId: w.siblingTeamId, periodLimit: "50000000" });
    // A top-level team: 60.00 + 50.00 allocated under the organization's 100.00.
    const unrelated = await owner.budget.set({ orgId: w.orgId, scope: "team", scopeId: w.unrelatedTeamId, periodLimit: "50000000" });
    const member = await owner.budget.set({
      orgId: w.orgId,
      scope: "member",
      scopeId: w.users.teamMember.memberId,
      periodLimit: "1000000",
    });
    // A member budget above the organization's is refused too.
    expect(
      await outcomeOf(owner.budget.set({ orgId: w.orgId, scope: "member", scopeId: w.users.viewer.memberId, periodLimit: "100000001" })),
    ).toBe("BAD_REQUEST ABOVE_PARENT_BUDGET");

    const tree = await createCaller(asUser(w, "viewer")).budget.tree({ orgId: w.orgId });
    const parentOf = Object.fromEntries(tree.nodes.map((n) => [n.budgetId, n.parentBudgetId]));
    expect(parentOf).toEqual({
      [org.id]: null,
      [parent.id]: org.id,
      [target.id]: parent.id,
      [sibling.id]: parent.id,
      [unrelated.id]: org.id,
      [member.id]: org.id,
    });
    expect(tree.warnings).toEqual(
      expect.arrayContaining([
        { kind: "CHILD_ABOVE_PARENT", budgetId: target.id, parentBudgetId: parent.id, limit: "70000000", parentLimit: "60000000" },
        { kind: "CHILDREN_EXCEED_PARENT", budgetId: org.id, parentLimit: "100000000", childrenTotal: "110000000" },
        { kind: "CHILDREN_EXCEED_PARENT", budgetId: parent.id, parentLimit: "60000000", childrenTotal: "120000000" },
      ]),
    );
    expect(tree.warnings).toHaveLength(3);
    expect(tree.nodes.find((n) => n.budgetId === parent.id)?.name).toBeTruthy();
  });
});

describe("budget increase requests", () => {
  let teamBudgetId: string;
  beforeAll(async () => {
    const owner = createCaller(asUser(w, "owner"));
    // The unrelated team: 1.00 a month, hard. Its lead spends for it.
    const team = await owner.budget.set({ orgId: w.orgId, scope: "team", scopeId: w.unrelatedTeamId, periodLimit: "1000000" });
    teamBudgetId = team.id;
    await admin.query(
      "INSERT INTO team_memberships (organization_id, team_id, member_id, role) VALUES ($1, $2, $3, 'member') ON CONFLICT DO NOTHING",
      [w.orgId, w.unrelatedTeamId, w.users.member.memberId],
    );
  });
  const spend = (cost: string) => createCaller(asUser(w, "member")).usage.record({ orgId: w.orgId, teamId: w.unrelatedTeamId, cost });

  it("raises the limit charges are held to once approved, until the increase ends; audited and notified", async () => {
    await spend("900000");
    expect(await outcomeOf(spend("500000"))).toBe("PAYMENT_REQUIRED BUDGET_EXCEEDED");
    const member = createCaller(asUser(w, "member"));
    const asked = await member.budget.requestIncrease({
      orgId: w.orgId,
      budgetId: teamBudgetId,
      amount: "2000000",
      increaseUntil: days(3),
      reason: "Launch week",
    });
    expect(asked).toMatchObject({ status: "pending", active: false, amount: "2000000", requestedBy: { userId: w.users.member.userId } });
    // Still refused while pending.
    expect(await outcomeOf(spend("500000"))).toBe("PAYMENT_REQUIRED BUDGET_EXCEEDED");
    const notified = await admin.query<{ user_id: string }>(
      "SELECT user_id FROM notifications WHERE organization_id = $1 AND kind = 'budget.increase_requested' ORDER BY user_id",
      [w.orgId],
    );
    expect(notified.rows.map((r) => r.user_id)).toEqual([w.users.owner.userId, w.users.admin.userId].sort());

    const decided = await createCaller(asUser(w, "admin")).budget.decideIncrease({
      orgId: w.orgId,
      requestId: asked.id,
      approve: true,
      note: "ok",
    });
    expect(decided).toMatchObject({ status: "approved", active: true, decidedBy: w.users.admin.userId });
    await spend("500000");
    const budget = await member.budget.get({ orgId: w.orgId, scope: "team", scopeId: w.unrelatedTeamId });
    expect(budget).toMatchObject({ periodLimit: "1000000", activeIncrease: "2000000", effectiveLimit: "3000000", spent: "1400000" });
    expect(
      (await admin.query("SELECT 1 FROM notifications WHERE user_id = $1 AND kind = 'budget.increase_approved'", [w.users.member.userId]))
        .rowCount,
    ).toBe(1);
    const actions = await admin.query<{ action: string; actor_id: string }>(
      "SELECT action, actor_id FROM audit_events WHERE organization_id = $1 AND target_id = $2 ORDER BY seq",
      [w.orgId, asked.id],
    );
    expect(actions.rows).toEqual([
      { action: "budget.increase_requested", actor_id: w.users.member.userId },
      { action: "budget.increase_approved", actor_id: w.users.admin.userId },
    ]);

    // The increase ends: the limit is the budget's own again at once (no job involved).
    await admin.query(
      "UPDATE budget_increase_requests SET created_at = now() - interval '1 hour', increase_until = now() - interval '1 second' WHERE id = $1",
      [asked.id],
    );
    expect(await outcomeOf(spend("1"))).toBe("PAYMENT_REQUIRED BUDGET_EXCEEDED");
    const listed = await member.budget.listIncreaseRequests({ orgId: w.orgId });
    expect(listed.items.find((r) => r.id === asked.id)).toMatchObject({ status: "approved", active: false });
  });

  it("refuses deciding one's own request, a decided or lapsed one, and withdrawing someone else's", async () => {
    const adminCaller = createCaller(asUser(w, "admin"));
    const own = await adminCaller.budget.requestIncrease({
      orgId: w.orgId,
      budgetId: teamBudgetId,
      amount: "1",
      increaseUntil: days(1),
      reason: "mine",
    });
    expect(await outcomeOf(adminCaller.budget.decideIncrease({ orgId: w.orgId, requestId: own.id, approve: true }))).toBe("FORBIDDEN SELF");
    const denied = await createCaller(asUser(w, "owner")).budget.decideIncrease({ orgId: w.orgId, requestId: own.id, approve: false });
    expect(denied.status).toBe("denied");
    expect(
      await outcomeOf(createCaller(asUser(w, "owner")).budget.decideIncrease({ orgId: w.orgId, requestId: own.id, approve: true })),
    ).toBe("CONFLICT INCREASE_NOT_PENDING");
    const member = createCaller(asUser(w, "member"));
    const stale = await member.budget.requestIncrease({
      orgId: w.orgId,
      budgetId: teamBudgetId,
      amount: "5",
      increaseUntil: days(2),
      reason: "old",
    });
    await admin.query("UPDATE budget_increase_requests SET expires_at = now() - interval '1 second' WHERE id = $1", [stale.id]);
    expect(await outcomeOf(adminCaller.budget.decideIncrease({ orgId: w.orgId, requestId: stale.id, approve: true }))).toBe(
      "CONFLICT INCREASE_NOT_PENDING",
    );
    expect((await member.budget.listIncreaseRequests({ orgId: w.orgId, status: "expired" })).items.map((r) => r.id)).toEqual([stale.id]);
    const open = await member.budget.requestIncrease({
      orgId: w.orgId,
      budgetId: teamBudgetId,
      amount: "5",
      increaseUntil: days(2),
      reason: "open",
    });
    expect(await outcomeOf(createCaller(asUser(w, "viewer")).budget.cancelIncreaseRequest({ orgId: w.orgId, requestId: open.id }))).toBe(
      "NOT_FOUND",
    );
    expect((await admin.query("SELECT status::text FROM budget_increase_requests WHERE id = $1", [open.id])).rows[0]).toEqual({
      status: "pending",
    });
    expect((await member.budget.cancelIncreaseRequest({ orgId: w.orgId, requestId: open.id })).status).toBe("cancelled");
  });

  it("shows deciders every request and anyone else only their own; refuses increases in the past or beyond 92 days", async () => {
    const viewer = createCaller(asUser(w, "viewer"));
    await viewer.budget.requestIncrease({ orgId: w.orgId, budgetId: teamBudgetId, amount: "7", increaseUntil: days(1), reason: "viewer" });
    const seenByViewer = await viewer.budget.listIncreaseRequests({ orgId: w.orgId });
    expect(seenByViewer.items.map((r) => r.reason)).toEqual(["viewer"]);
    const all = await createCaller(asUser(w, "owner")).budget.listIncreaseRequests({ orgId: w.orgId });
    const everyRow = await admin.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM budget_increase_requests WHERE organization_id = $1",
      [w.orgId],
    );
    expect(all.items).toHaveLength(everyRow.rows[0]?.n as number);
    expect(
      await outcomeOf(
        viewer.budget.requestIncrease({ orgId: w.orgId, budgetId: teamBudgetId, amount: "7", increaseUntil: days(-1), reason: "x" }),
      ),
    ).toBe("BAD_REQUEST EXPIRY_IN_PAST");
    expect(
      await outcomeOf(
        viewer.budget.requestIncrease({ orgId: w.orgId, budgetId: teamBudgetId, amount: "7", increaseUntil: days(93), reason: "x" }),
      ),
    ).toBe("BAD_REQUEST OUT_OF_RANGE");
    expect(
      await outcomeOf(
        viewer.budget.requestIncrease({ orgId: w.orgId, budgetId: teamBudgetId, amount: "0", increaseUntil: days(1), reason: "x" }),
      ),
    ).toBe("BAD_REQUEST NOT_POSITIVE");
  });
});
