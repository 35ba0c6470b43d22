import { randomUUID } from "node:crypto";
import type { ProcedureFixture } from "../../testing/fixtures.js";
import { addMember, addTeamUnderTarget } from "../../testing/world.js";
import type { teamRouter } from "./router.js";

const inTargetTeam = async (world: Parameters<ProcedureFixture>[0]) => {
  const { memberId } = await addMember(world, "member");
  await world.db.withTenant({ orgId: world.orgId }, (tx) =>
    tx.teamMembership.create({ data: { organizationId: world.orgId, teamId: world.targetTeamId, memberId } }),
  );
  return memberId;
};

export const teamFixtures = {
  create: async (world) => ({ orgId: world.orgId, name: `Sub ${randomUUID().slice(0, 8)}`, parentTeamId: world.targetTeamId }),
  list: async (world) => ({ orgId: world.orgId }),
  get: async (world) => ({ orgId: world.orgId, teamId: world.targetTeamId }),
  update: async (world) => ({ orgId: world.orgId, teamId: world.targetTeamId, description: `Updated ${randomUUID()}` }),
  // From under the target team to under its parent: both inside what the target's lead leads.
  move: async (world) => ({ orgId: world.orgId, teamId: await addTeamUnderTarget(world), newParentTeamId: world.parentTeamId }),
  delete: async (world) => ({ orgId: world.orgId, teamId: await addTeamUnderTarget(world) }),
  addMember: async (world) => ({ orgId: world.orgId, teamId: world.targetTeamId, memberId: (await addMember(world, "member")).memberId }),
  removeMember: async (world) => ({ orgId: world.orgId, teamId: world.targetTeamId, memberId: await inTargetTeam(world) }),
  updateMemberRole: async (world) => ({
    orgId: world.orgId,
    teamId: world.targetTeamId,
    memberId: await inTargetTeam(world),
    role: "lead",
  }),
} satisfies Record<keyof typeof teamRouter._def.record, ProcedureFixture>;
