import { randomUUID } from "node:crypto";
import { createPersonalToken } from "../../services/personal-tokens/personal-tokens.js";
import { requestMeta } from "../../services/service-context.js";
import type { ProcedureFixture } from "../../testing/fixtures.js";
import type { World } from "../../testing/world.js";
import type { personalTokenRouter } from "./router.js";

const DAY_MS = 86_400_000;

/** A fresh active token of `userId`, straight through the service; returns its id and the token. */
export async function addPersonalToken(
  world: World,
  userId: string,
  scopes: Parameters<typeof createPersonalToken>[1]["scopes"] = ["org:read"],
) {
  const { token, personalToken } = await createPersonalToken(
    { db: world.db, store: world.store, userId, request: requestMeta({ requestId: randomUUID(), ip: null, userAgent: null }) },
    { name: `fixture token ${randomUUID().slice(0, 8)}`, scopes, expiresAt: new Date(Date.now() + 30 * DAY_MS), environment: "test" },
  );
  return { token, tokenId: personalToken.id };
}

export const personalTokenFixtures = {
  create: async () => ({
    name: `Token ${randomUUID().slice(0, 8)}`,
    scopes: ["org:read", "usage:read"],
    expiresAt: new Date(Date.now() + 7 * DAY_MS),
  }),
  list: async () => ({ limit: 20 }),
  // The caller's own token (a person revokes only their own; anyone else is refused before this matters).
  revoke: async (world, caller) => ({
    tokenId: (await addPersonalToken(world, caller.kind === "user" ? caller.userId : world.users.owner.userId)).tokenId,
  }),
} satisfies Record<keyof typeof personalTokenRouter._def.record, ProcedureFixture>;
