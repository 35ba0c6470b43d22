import { randomUUID } from "node:crypto";
import { createCaller, createInnerContext, createMemoryStore, type Store } from "@aihub/api";
import { createOrg, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { createGatewayServer, listen } from "../server.js";
import { type FakeUpstream, startFakeUpstream } from "./fake-openai-upstream.js";

/**
 * What the model-route tests share: a database, a gateway on a free port, a fake provider, and
 * one organization with a price for the test model (1 micro-unit per input token, 2 per output
 * token: cost = input + 2 × output, easy to check by hand) and a provider connection to the fake.
 */
export const MODEL = "gpt-test";
export const costOf = (input: number, output: number) => BigInt(input + 2 * output);

export interface ModelWorld {
  testDb: TestDatabase;
  admin: pg.Client;
  base: string;
  fake: FakeUpstream;
  orgId: string;
  owner: ReturnType<typeof createCaller>;
  /** The id of a key made by `key()`. */
  idOf(key: string): string;
  key(options?: {
    allowedModels?: string[];
    rateLimitPerMinute?: number;
    scopes?: ("usage:write" | "usage:read")[];
    teamId?: string;
  }): Promise<string>;
  close(): Promise<void>;
}

export async function createModelWorld(options: { store?: Store } = {}): Promise<ModelWorld> {
  const testDb = await createTestDatabase();
  const admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  const server = createGatewayServer({ db: testDb.db, store: options.store ?? createMemoryStore() });
  const base = `http://127.0.0.1:${await listen(server, 0)}`;
  const fake = await startFakeUpstream();
  const { org, owner: ownerRow } = await createOrg(testDb.db);
  const owner = createCaller(createInnerContext({ db: testDb.db, identity: { kind: "user", userId: ownerRow.user.id } }));
  await admin.query(
    `INSERT INTO model_prices (organization_id, model, input_price, output_price, effective_from)
     VALUES ($1, $2, 1000000, 2000000, now() - interval '1 hour')`,
    [org.id, MODEL],
  );
  await owner.provider.create({
    orgId: org.id,
    name: "Fake",
    baseUrl: fake.url,
    apiKey: "sk-fake-provider-0000",
    models: [MODEL],
    modelAliases: [{ alias: "fast", model: MODEL }],
    timeoutMs: 30_000,
  });
  const ids = new Map<string, string>();
  return {
    testDb,
    admin,
    base,
    fake,
    orgId: org.id,
    owner,
    idOf: (key) => ids.get(key) as string,
    key: async (o = {}) => {
      const created = await owner.apiKey.create({
        orgId: org.id,
        name: `model key ${randomUUID().slice(0, 8)}`,
        scopes: o.scopes ?? ["usage:write"],
        rateLimitPerMinute: o.rateLimitPerMinute ?? 10_000,
        monthlyQuota: 1_000_000,
        allowedModels: o.allowedModels ?? [],
        teamId: o.teamId,
      });
      ids.set(created.key, created.apiKey.id);
      return created.key;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await fake.close();
      await admin.end();
      await testDb.drop();
    },
  };
}

/** The organization budget's counter this month (spend and holds), in micro-units. */
export async function orgCounter(w: ModelWorld): Promise<{ spend: bigint; reserved: bigint }> {
  const { rows } = await w.admin.query<{ spend: string; reserved: string }>(
    `SELECT coalesce(sum(p.spend), 0)::text AS spend, coalesce(sum(p.reserved), 0)::text AS reserved
       FROM budget_periods p JOIN budgets b ON b.id = p.budget_id
      WHERE b.organization_id = $1 AND b.scope = 'organization'`,
    [w.orgId],
  );
  return { spend: BigInt(rows[0]?.spend ?? 0), reserved: BigInt(rows[0]?.reserved ?? 0) };
}

/** Every reservation made for a key: its amount, state and what it settled at. */
export async function reservationsOf(w: ModelWorld, key: string) {
  const { rows } = await w.admin.query<{
    amount: string;
    state: string;
    actual_cost: string | null;
    input: string | null;
    output: string | null;
  }>(
    `SELECT r.amount::text, r.state::text, r.actual_cost::text, u.input_tokens::text AS input, u.output_tokens::text AS output
       FROM budget_reservations r
       LEFT JOIN usage_records u ON u.organization_id = r.organization_id AND u.id = r.usage_record_id
      WHERE r.api_key_id = $1 ORDER BY r.created_at`,
    [w.idOf(key)],
  );
  return rows;
}

/** Waits until every reservation of the key is closed (a stream settles after its last byte). */
export async function settled(w: ModelWorld, key: string) {
  for (let i = 0; i < 600; i++) {
    const rows = await reservationsOf(w, key);
    if (rows.length > 0 && rows.every((r) => r.state !== "active")) return rows;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("reservations still active");
}
