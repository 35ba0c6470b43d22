import { randomUUID } from "node:crypto";
import { encryptCredential } from "../../services/providers/credential-crypto.js";
import type { ProcedureFixture } from "../../testing/fixtures.js";
import type { World } from "../../testing/world.js";
import type { providerRouter } from "./router.js";

/**
 * A fresh connection of the world's organization, straight into the table. Its base URL is a
 * closed local port (the discard port), so testing it answers at once with "could not be reached".
 */
export async function addProvider(world: World): Promise<string> {
  const id = randomUUID();
  await world.db.withTenant(
    { orgId: world.orgId },
    (tx) => tx.$executeRaw`
      INSERT INTO provider_connections (id, organization_id, name, base_url, api_key_encrypted, key_last4, models)
      VALUES (${id}::uuid, ${world.orgId}::uuid, ${`fixture ${id.slice(0, 8)}`}, 'http://127.0.0.1:9/v1',
              ${encryptCredential("sk-fixture-1234", id)}, '1234', '{gpt-4o-mini}')`,
  );
  return id;
}

export const providerFixtures = {
  list: async (world) => {
    await addProvider(world);
    return { orgId: world.orgId };
  },
  create: async (world) => ({
    orgId: world.orgId,
    name: `Provider ${randomUUID().slice(0, 8)}`,
    baseUrl: "https://api.example.com/v1",
    apiKey: "sk-fixture-abcd",
    models: ["gpt-4o-mini"],
    modelAliases: [{ alias: "fast", model: "gpt-4o-mini" }],
    timeoutMs: 30_000,
  }),
  update: async (world) => ({ orgId: world.orgId, connectionId: await addProvider(world), timeoutMs: 12_345, apiKey: "sk-rotated-wxyz" }),
  delete: async (world) => ({ orgId: world.orgId, connectionId: await addProvider(world) }),
  testConnection: async (world) => ({ orgId: world.orgId, connectionId: await addProvider(world) }),
} satisfies Record<keyof typeof providerRouter._def.record, ProcedureFixture>;
