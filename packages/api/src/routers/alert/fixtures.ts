import { randomUUID } from "node:crypto";
import type { ProcedureFixture } from "../../testing/fixtures.js";
import type { World } from "../../testing/world.js";
import type { alertRouter } from "./router.js";

/**
 * A channel of the world's organization, straight into the table. A webhook points at the
 * discard port on loopback, so testing it is refused at once by the address guard.
 */
export async function addAlertChannel(world: World, kind: "email" | "webhook" = "email"): Promise<string> {
  const id = randomUUID();
  await world.db.withTenant(
    { orgId: world.orgId },
    (tx) => tx.$executeRaw`
      INSERT INTO alert_channels (id, organization_id, kind, name, email, url, secret_salt)
      VALUES (${id}::uuid, ${world.orgId}::uuid, ${kind}::alert_channel_kind, ${`fixture ${id.slice(0, 8)}`},
              ${kind === "email" ? `alerts-${id.slice(0, 8)}@example.test` : null},
              ${kind === "webhook" ? "http://127.0.0.1:9/hook" : null}, ${kind === "webhook" ? "fixture-salt" : null})`,
  );
  return id;
}

/** A 50% alert on a fresh team budget (its default in-app delivery queued by the trigger). */
async function addAlert(world: World): Promise<void> {
  await world.db.withTenant({ orgId: world.orgId }, async (tx) => {
    const [budget] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO budgets (organization_id, scope, scope_id, period_limit)
      SELECT ${world.orgId}::uuid, 'member', m.id, 1000000000000 FROM members m
       WHERE m.organization_id = ${world.orgId}::uuid
         AND NOT EXISTS (SELECT 1 FROM budgets b WHERE b.organization_id = m.organization_id AND b.scope = 'member' AND b.scope_id = m.id)
       LIMIT 1
      RETURNING id`;
    if (!budget) return;
    await tx.$executeRaw`
      INSERT INTO budget_alerts (organization_id, budget_id, period_start, threshold, spend_at_alert)
      VALUES (${world.orgId}::uuid, ${budget.id}::uuid, date_trunc('month', now())::date, 50, 500000000000)`;
  });
}

export const alertFixtures = {
  list: async (world) => {
    await addAlert(world);
    return { orgId: world.orgId };
  },
  listChannels: async (world) => {
    await addAlertChannel(world);
    return { orgId: world.orgId };
  },
  createChannel: async (world) => ({
    orgId: world.orgId,
    kind: "email",
    name: `Finance ${randomUUID().slice(0, 8)}`,
    email: `finance-${randomUUID().slice(0, 8)}@example.test`,
  }),
  updateChannel: async (world) => ({ orgId: world.orgId, channelId: await addAlertChannel(world), name: "Renamed", enabled: false }),
  deleteChannel: async (world) => ({ orgId: world.orgId, channelId: await addAlertChannel(world) }),
  testChannel: async (world) => ({ orgId: world.orgId, channelId: await addAlertChannel(world, "webhook") }),
} satisfies Record<keyof typeof alertRouter._def.record, ProcedureFixture>;
