import { randomUUID } from "node:crypto";
import { loadMemberAccess } from "../../services/access/member-access.js";
import { issueApiKey } from "../../services/api-keys/issue-api-key.js";
import type { ProcedureFixture } from "../../testing/fixtures.js";
import type { World } from "../../testing/world.js";
import type { apiKeyRouter } from "./router.js";

/**
 * A fresh active key of the world's org, issued by its owner (the one member every world keeps)
 * with scopes an admin holds too, returning its id.
 */
export async function addApiKey(world: World): Promise<string> {
  const owner = await loadMemberAccess(world, world.orgId, world.users.owner.userId);
  if (!owner) throw new Error("world owner missing");
  const { record } = await issueApiKey(
    world.db,
    { userId: world.users.owner.userId, access: owner },
    { orgId: world.orgId, name: `fixture key ${randomUUID().slice(0, 8)}`, scopes: ["usage:write", "budget:read"] },
  );
  return record.id;
}

export const apiKeyFixtures = {
  create: async (world) => ({
    orgId: world.orgId,
    name: `Key ${randomUUID().slice(0, 8)}`,
    scopes: ["usage:write", "budget:read"],
    teamId: world.targetTeamId,
    rateLimitPerMinute: 60,
    monthlyQuota: 10_000,
    allowedModels: ["gpt-4o-mini"],
  }),
  list: async (world) => {
    await addApiKey(world);
    return { orgId: world.orgId, limit: 5 };
  },
  get: async (world) => ({ orgId: world.orgId, apiKeyId: await addApiKey(world) }),
  update: async (world) => ({
    orgId: world.orgId,
    apiKeyId: await addApiKey(world),
    name: `Renamed ${randomUUID().slice(0, 8)}`,
    rateLimitPerMinute: 30,
  }),
  revoke: async (world) => ({ orgId: world.orgId, apiKeyId: await addApiKey(world) }),
  rotate: async (world) => ({ orgId: world.orgId, apiKeyId: await addApiKey(world), gracePeriodSeconds: 3600 }),
} satisfies Record<keyof typeof apiKeyRouter._def.record, ProcedureFixture>;
