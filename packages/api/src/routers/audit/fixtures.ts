import { randomUUID } from "node:crypto";
import { audit } from "../../services/audit/audit.js";
import type { ProcedureFixture } from "../../testing/fixtures.js";
import type { World } from "../../testing/world.js";
import type { auditRouter } from "./router.js";

/** An event in the world's trail (written as the product writes them), returning its id. */
async function recordEvent(world: World): Promise<string> {
  const owner = world.users.owner.userId;
  return world.db.withTenant({ orgId: world.orgId }, async (tx) => {
    await audit(
      tx,
      {
        orgId: world.orgId,
        actor: { type: "user", id: owner },
        request: { requestId: randomUUID(), ip: "203.0.113.9", userAgent: "fixture" },
      },
      { action: "organization.updated", targetId: world.orgId, before: { description: "before" }, after: { description: "after" } },
    );
    const event = await tx.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" }, select: { id: true } });
    return event.id;
  });
}

export const auditFixtures = {
  list: async (world) => {
    await recordEvent(world);
    return { orgId: world.orgId, limit: 5 };
  },
  get: async (world) => ({ orgId: world.orgId, eventId: await recordEvent(world) }),
  verify: async (world) => ({ orgId: world.orgId }),
  setRetention: async (world) => ({ orgId: world.orgId, days: 90 + Math.floor(Math.random() * 3000) }),
} satisfies Record<keyof typeof auditRouter._def.record, ProcedureFixture>;
