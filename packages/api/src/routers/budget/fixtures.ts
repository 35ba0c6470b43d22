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

export const budgetFixtures = {
  set: async (world) => ({ orgId: world.orgId, scope: "team", scopeId: await addTeamUnderTarget(world), periodLimit: "500000000000" }),
  get: async (world) => ({ orgId: world.orgId, scope: "team", scopeId: await addTeamBudget(world) }),
  list: async (world) => {
    await addTeamBudget(world);
    return { orgId: world.orgId };
  },
} satisfies Record<keyof typeof budgetRouter._def.record, ProcedureFixture>;
