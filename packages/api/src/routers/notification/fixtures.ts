import { randomUUID } from "node:crypto";
import type { ProcedureFixture } from "../../testing/fixtures.js";
import type { notificationRouter } from "./router.js";

export const notificationFixtures = {
  list: async () => undefined,
  markRead: async (world, caller) => {
    if (caller.kind !== "user") return { notificationId: randomUUID() };
    const notificationId = randomUUID();
    await world.db.withTenant({ orgId: world.orgId }, (tx) =>
      tx.notification.createMany({
        data: { id: notificationId, organizationId: world.orgId, userId: caller.userId, kind: "test", title: "Hello", body: "World" },
      }),
    );
    return { notificationId };
  },
} satisfies Record<keyof typeof notificationRouter._def.record, ProcedureFixture>;
