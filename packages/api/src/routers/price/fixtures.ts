import { randomUUID } from "node:crypto";
import type { ProcedureFixture } from "../../testing/fixtures.js";
import type { World } from "../../testing/world.js";
import type { priceRouter } from "./router.js";

/** A fresh model name per call, so each effect check finds exactly its own rows. */
const model = () => `fixture-${randomUUID()}`;

/** An organization price for a fresh model, in effect since an hour ago. */
async function addPrice(world: World): Promise<string> {
  const name = model();
  await world.db.withTenant(
    { orgId: world.orgId },
    (tx) => tx.$executeRaw`
      INSERT INTO model_prices (organization_id, model, input_price, output_price, effective_from)
      VALUES (${world.orgId}::uuid, ${name}, 1000000, 2000000, now() - interval '1 hour')`,
  );
  return name;
}

export const priceFixtures = {
  list: async (world) => {
    await addPrice(world);
    return { orgId: world.orgId };
  },
  set: async (world) => ({ orgId: world.orgId, model: model(), inputPrice: "2500000", outputPrice: "10000000" }),
  remove: async (world) => ({ orgId: world.orgId, model: await addPrice(world) }),
} satisfies Record<keyof typeof priceRouter._def.record, ProcedureFixture>;
