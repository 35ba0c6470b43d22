import type { ProcedureFixture } from "../../testing/fixtures.js";
import { addMember } from "../../testing/world.js";
import type { memberRouter } from "./router.js";

export const memberFixtures = {
  updateRole: async (world) => ({ orgId: world.orgId, memberId: (await addMember(world, "member")).memberId, role: "viewer" }),
  setPermissionOverride: async (world) => ({
    orgId: world.orgId,
    memberId: (await addMember(world, "member")).memberId,
    // The permission the procedure itself requires: every caller allowed to call it holds it.
    permission: "member:update_permissions",
    effect: "grant",
  }),
  removePermissionOverride: async (world) => {
    const { memberId } = await addMember(world, "member");
    await world.db.withTenant({ orgId: world.orgId }, (tx) =>
      tx.memberPermissionOverride.create({
        data: { organizationId: world.orgId, memberId, permission: "member:update_permissions", effect: "grant" },
      }),
    );
    return { orgId: world.orgId, memberId, permission: "member:update_permissions" };
  },
} satisfies Record<keyof typeof memberRouter._def.record, ProcedureFixture>;
