import type { ProcedureFixture } from "../../testing/fixtures.js";
import type { meRouter } from "./router.js";

export const meFixtures = {
  get: async () => undefined,
  permissions: async (world) => ({ orgId: world.orgId }),
} satisfies Record<keyof typeof meRouter._def.record, ProcedureFixture>;
