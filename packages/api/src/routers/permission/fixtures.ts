import type { ProcedureFixture } from "../../testing/fixtures.js";
import type { permissionRouter } from "./router.js";

export const permissionFixtures = {
  explain: async (world) => ({
    orgId: world.orgId,
    subject: { userId: world.users.targetLead.userId },
    permission: "team:manage_members",
    teamId: world.targetTeamId,
  }),
  explainAll: async (world) => ({ orgId: world.orgId, userId: world.users.targetLead.userId, teamId: world.targetTeamId }),
} satisfies Record<keyof typeof permissionRouter._def.record, ProcedureFixture>;
