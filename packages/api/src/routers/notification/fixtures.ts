import { randomUUID } from "node:crypto";
import type { ProcedureFixture } from "../../testing/fixtures.js";
import type { notificationRouter } from "./router.js";

export const notificationFixtures = {
  list: async () => undefined,
  markRead: async (world, caller) => {
    if (caller.kind !== "user") return { notificationId: randomUUID() };
    const notificationId = randomUUID();
    await world.db.withTenant({ orgId: world.orgId }, async (tx) => {
      // The database lets an org notify only its members and invitees: a caller from outside is invited first.
      if (!(await tx.member.findFirst({ where: { userId: caller.userId }, select: { id: true } }))) {
        const { email } = await tx.user.findUniqueOrThrow({ where: { id: caller.userId }, select: { email: true } });
        await tx.invitation.create({ data: { organizationId: world.orgId, email, role: "viewer", tokenHash: randomUUID() } });
      }
      await tx.notification.createMany({
        data: { id: notificationId, organizationId: world.orgId, userId: caller.userId, kind: "test", title: "Hello", body: "World" },
      });
    });
    return { notificationId };
  },
} satisfies Record<keyof typeof notificationRouter._def.record, ProcedureFixture>;
