import { randomUUID } from "node:crypto";
import { reserve } from "../../services/budgets/reservations.js";
import { recordUsage } from "../../services/usage/record.js";
import type { ProcedureFixture } from "../../testing/fixtures.js";
import type { World } from "../../testing/world.js";
import type { usageRouter } from "./router.js";

/** An open reservation of 0.001 on the organization's path, held by the system (any caller with usage:write may settle it). */
async function addReservation(world: World): Promise<string> {
  const r = await reserve({ db: world.db, orgId: world.orgId }, { subject: {}, charge: { cost: 1000n } });
  return r.reservationId;
}

/** Today in UTC (the world's organizations keep the default time zone). */
const today = () => new Date().toISOString().slice(0, 10);

/** A fresh model name per call, so the effect check finds exactly this call's rows. */
const model = () => `fixture-${randomUUID()}`;

export const usageFixtures = {
  checkBudget: async (world) => ({ orgId: world.orgId, cost: "1000" }),
  reserve: async (world) => ({ orgId: world.orgId, cost: "1000", model: model() }),
  settle: async (world) => ({ orgId: world.orgId, reservationId: await addReservation(world), cost: "400" }),
  release: async (world) => ({ orgId: world.orgId, reservationId: await addReservation(world) }),
  record: async (world) => ({ orgId: world.orgId, cost: "1000", model: model(), idempotencyKey: `fixture-${randomUUID()}` }),
  summary: async (world) => {
    await recordUsage({ db: world.db, orgId: world.orgId }, { subject: {}, charge: { cost: 1000n } });
    return { orgId: world.orgId, from: today(), to: today() };
  },
  breakdown: async (world) => {
    await recordUsage({ db: world.db, orgId: world.orgId }, { subject: {}, charge: { cost: 1000n } });
    return { orgId: world.orgId, from: today(), to: today(), by: "team" };
  },
} satisfies Record<keyof typeof usageRouter._def.record, ProcedureFixture>;
