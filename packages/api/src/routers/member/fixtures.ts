import { isolated, type ProcedureFixture } from "../../testing/fixtures.js";
import { addMember } from "../../testing/world.js";
import type { memberRouter } from "./router.js";

export const memberFixtures = {
  list: async (world) => ({ orgId: world.orgId, limit: 10 }),
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
  remove: async (world) => ({ orgId: world.orgId, memberId: (await addMember(world, "member")).memberId }),
  // The caller leaves, so each call gets its own world; a second owner lets the owner leave too.
  leave: isolated(async (world) => {
    await addMember(world, "owner");
    return { orgId: world.orgId };
  }),
} satisfies Record<keyof typeof memberRouter._def.record, ProcedureFixture>;
