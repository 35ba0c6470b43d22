// Measures the authorization path against its floors, in one run on one machine (numbers from
// different runs or machines are not comparable; ratios within a run are). Prints medians.
//   pnpm --filter @aihub/api bench
import { createTestDatabase, prepareTestTemplate } from "@aihub/db/testing";
import { createCaller } from "../src/root.js";
import { invalidateMemberAccess } from "../src/services/access/member-access.js";
import { createMemoryStore, createRedisStore, type Store } from "../src/store/index.js";
import { contextFor, createWorld } from "../src/testing/world.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 400);
// A fixed API-key secret, as the tests use (the code has no default to fall back to).
process.env.API_KEY_SECRET ||= "bench-api-key-secret-fixed-for-every-bench-process";
process.env.NEXTAUTH_SECRET ||= "bench-nextauth-secret-fixed-for-every-bench-process";

async function median(label: string, work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await work(); // warm up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const p50 = samples[Math.floor(samples.length / 2)] as number;
  const p95 = samples[Math.floor(samples.length * 0.95)] as number;
  console.log(`${label.padEnd(58)} p50 ${p50.toFixed(3)} ms   p95 ${p95.toFixed(3)} ms`);
  return p50;
}

await prepareTestTemplate();
const testDb = await createTestDatabase();
try {
  const redis = createRedisStore(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const memory = createMemoryStore();
  const world = await createWorld(testDb.db, memory);
  const { pool } = testDb.db;

  console.log(`runs per line: ${RUNS}\n-- floors`);
  const fPg = await median("F_pg: SELECT by primary key (pool)", () =>
    pool.query("SELECT id FROM users WHERE id = $1", [world.users.owner.userId]),
  );
  const fTx = await median("F_tx: BEGIN; set_config; SELECT by key; COMMIT (pool)", async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.current_org_id', $1, true)", [world.orgId]);
      await client.query("SELECT id FROM members WHERE id = $1", [world.users.owner.memberId]);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  });
  const fRedis = await median("F_redis: GET", () => redis.get("bench:missing"));
  const fNoop = await median("F_noop: health procedure through createCaller (1 DB query)", () =>
    createCaller(contextFor(world, null)).health(),
  );

  console.log("-- tenant client");
  const tenantRead = await median("member.findUnique through forTenant (extension)", () =>
    testDb.db.forTenant({ orgId: world.orgId }).member.findUnique({ where: { id: world.users.owner.memberId as string } }),
  );

  console.log("-- permission-checked read (organization.get: check + 4 counted reads)");
  const orgGet = (store: Store) => () =>
    createCaller({ ...contextFor(world, { kind: "user", userId: world.users.admin.userId }), store }).organization.get({
      orgId: world.orgId,
    });
  const permissions = (store: Store, cold: boolean) => async () => {
    if (cold) await invalidateMemberAccess(store, world.orgId, [world.users.admin.userId]);
    return createCaller({ ...contextFor(world, { kind: "user", userId: world.users.admin.userId }), store }).me.permissions({
      orgId: world.orgId,
    });
  };
  const getRedis = await median("organization.get, access cached in Redis", orgGet(redis));
  await median("organization.get, access cached in process", orgGet(memory));

  console.log("-- permission resolution (me.permissions)");
  const warmRedis = await median("cached in Redis", permissions(redis, false));
  const warmMemory = await median("cached in process", permissions(memory, false));
  const coldRedis = await median("cache miss each call (Redis DEL, then PostgreSQL)", permissions(redis, true));

  console.log("-- ratios");
  console.log(`F_tx / F_pg                                   ${(fTx / fPg).toFixed(2)}`);
  console.log(`tenant read / F_tx                            ${(tenantRead / fTx).toFixed(2)}`);
  console.log(`cached check (Redis) - F_redis                ${(warmRedis - fRedis).toFixed(3)} ms`);
  console.log(`cached check (process)                        ${warmMemory.toFixed(3)} ms`);
  console.log(`cold / warm (Redis)                           ${(coldRedis / warmRedis).toFixed(2)}`);
  console.log(`organization.get / (F_noop + F_tx)            ${(getRedis / (fNoop + fTx)).toFixed(2)}`);
  await redis.close();
  await memory.close();
} finally {
  await testDb.drop();
}
