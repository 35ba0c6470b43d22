import { randomUUID } from "node:crypto";
import { createOrg } from "@aihub/db/testing";
import { isolated, type ProcedureFixture } from "../../testing/fixtures.js";
import { addMember } from "../../testing/world.js";
import type { organizationRouter } from "./router.js";

export const organizationFixtures = {
  create: async () => ({ name: `Matrix Org ${randomUUID().slice(0, 8)}` }),
  listMine: async () => undefined,
  // A deleted organization the caller owns, so there is something to list.
  listDeleted: async (world, caller) => {
    if (caller.kind !== "user") return undefined;
    const user = await world.db.prisma.user.findUniqueOrThrow({ where: { id: caller.userId } });
    const { org } = await createOrg(world.db, { members: [{ role: "owner", user }] });
    await world.db.withTenant({ orgId: org.id }, (tx) =>
      tx.organization.update({ where: { id: org.id }, data: { status: "deleted", deletedAt: new Date() } }),
    );
    return undefined;
  },
  get: async (world) => ({ orgId: world.orgId }),
  update: async (world) => ({ orgId: world.orgId, description: `Updated ${randomUUID()}` }),
  delete: isolated(async (world) => ({ orgId: world.orgId, confirmSlug: world.orgSlug })),
  restore: isolated(async (world) => {
    await world.db.withTenant({ orgId: world.orgId }, (tx) =>
      tx.organization.update({ where: { id: world.orgId }, data: { status: "deleted", deletedAt: new Date() } }),
    );
    return { orgId: world.orgId };
  }),
  transferOwnership: isolated(async (world) => ({ orgId: world.orgId, memberId: (await addMember(world, "admin")).memberId })),
} satisfies Record<keyof typeof organizationRouter._def.record, ProcedureFixture>;
