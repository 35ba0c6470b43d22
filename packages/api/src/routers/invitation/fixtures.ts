import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createOrg } from "@aihub/db/testing";
import type { ProcedureFixture } from "../../testing/fixtures.js";
import { addInvitation } from "../../testing/world.js";
import type { invitationRouter } from "./router.js";

export const invitationFixtures = {
  create: async (world) => ({ orgId: world.orgId, email: `invitee-${randomUUID()}@example.test`, role: "viewer" }),
  list: async (world) => ({ orgId: world.orgId }),
  revoke: async (world) => ({ orgId: world.orgId, invitationId: await addInvitation(world) }),
  resend: async (world) => ({ orgId: world.orgId, invitationId: await addInvitation(world) }),
  // Any caller holding a link's token may preview it.
  preview: async (world) => {
    const token = randomBytes(32).toString("base64url");
    await world.db.withTenant({ orgId: world.orgId }, (tx) =>
      tx.invitation.create({
        data: {
          organizationId: world.orgId,
          email: `preview-${randomUUID()}@example.test`,
          role: "viewer",
          tokenHash: createHash("sha256").update(token).digest("hex"),
          invitedById: world.users.owner.userId,
        },
      }),
    );
    return { token };
  },
  // An invitation to another org, addressed to the caller (anyone signed in may accept their own).
  accept: async (world, caller) => {
    const token = randomBytes(32).toString("base64url");
    if (caller.kind !== "user") return { token };
    const user = await world.db.prisma.user.findUniqueOrThrow({ where: { id: caller.userId } });
    const { org, owner } = await createOrg(world.db);
    await world.db.withTenant({ orgId: org.id }, (tx) =>
      tx.invitation.create({
        data: {
          organizationId: org.id,
          email: user.email,
          role: "member",
          tokenHash: createHash("sha256").update(token).digest("hex"),
          invitedById: owner.user.id,
        },
      }),
    );
    return { token };
  },
} satisfies Record<keyof typeof invitationRouter._def.record, ProcedureFixture>;
