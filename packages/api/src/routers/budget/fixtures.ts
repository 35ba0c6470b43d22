import type { ProcedureFixture } from "../../testing/fixtures.js";
import { addTeamUnderTarget, type World } from "../../testing/world.js";
import type { budgetRouter } from "./router.js";

/** A budget on a fresh team under the target (off every path the usage fixtures charge), large enough never to refuse. */
async function addTeamBudget(world: World): Promise<string> {
  const teamId = await addTeamUnderTarget(world);
  await world.db.withTenant(
    { orgId: world.orgId },
    (tx) =>
      tx.$executeRaw`INSERT INTO budgets (organization_id, scope, scope_id, period_limit) VALUES (${world.orgId}::uuid, 'team', ${teamId}::uuid, 1000000000000)`,
  );
  return teamId;
}

async function addBudgetId(world: World): Promise<string> {
  const teamId = await addTeamBudget(world);
  const [row] = await world.db.withTenant(
    { orgId: world.orgId },
    (tx) =>
      tx.$queryRaw<{ id: string }[]>`SELECT id FROM budgets WHERE organization_id = ${world.orgId}::uuid AND scope_id = ${teamId}::uuid`,
  );
  return (row as { id: string }).id;
}

/** A pending increase request of 1.00 for a week, asked by `requestedBy` (a user id, or nobody). */
async function addIncreaseRequest(world: World, requestedBy: string | null): Promise<string> {
  const budgetId = await addBudgetId(world);
  const [row] = await world.db.withTenant(
    { orgId: world.orgId },
    (tx) => tx.$queryRaw<{ id: string }[]>`
      INSERT INTO budget_increase_requests (organization_id, budget_id, requested_by, amount, increase_until, reason, expires_at)
      VALUES (${world.orgId}::uuid, ${budgetId}::uuid, ${requestedBy}::uuid, 1000000, now() + interval '7 days', 'fixture', now() + interval '7 days')
      RETURNING id`,
  );
  return (row as { id: string }).id;
}

export const budgetFixtures = {
  set: async (world) => ({ orgId: world.orgId, scope: "team", scopeId: await addTeamUnderTarget(world), periodLimit: "500000000000" }),
  get: async (world) => ({ orgId: world.orgId, scope: "team", scopeId: await addTeamBudget(world) }),
  list: async (world) => {
    await addTeamBudget(world);
    return { orgId: world.orgId };
  },
  tree: async (world) => {
    await addTeamBudget(world);
    return { orgId: world.orgId };
  },
  requestIncrease: async (world) => ({
    orgId: world.orgId,
    budgetId: await addBudgetId(world),
    amount: "2500000",
    increaseUntil: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    reason: "A launch week",
  }),
  listIncreaseRequests: async (world) => {
    await addIncreaseRequest(world, world.users.member.userId);
    return { orgId: world.orgId };
  },
  // Asked by the plain member, so no caller who may decide is deciding their own request.
  decideIncrease: async (world) => ({
    orgId: world.orgId,
    requestId: await addIncreaseRequest(world, world.users.member.userId),
    approve: true,
    note: "Approved for the launch",
  }),
  // Each caller withdraws a request of their own.
  cancelIncreaseRequest: async (world, caller) => ({
    orgId: world.orgId,
    requestId: await addIncreaseRequest(world, caller.kind === "user" ? caller.userId : null),
  }),
} satisfies Record<keyof typeof budgetRouter._def.record, ProcedureFixture>;
