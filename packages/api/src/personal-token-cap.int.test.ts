import { createTestDatabase, createUser, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { createMemoryStore } from "./store/index.js";
import { outcomeOf } from "./testing/outcome.js";
import { contextFor, createWorld, type World } from "./testing/world.js";

/** A person holds at most 50 active personal access tokens, also under concurrent creation. */
const CAP = 50;
let testDb: TestDatabase;
let world: World;
let admin: pg.Client;
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await testDb.drop();
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
const as = (userId: string) => createCaller(contextFor(world, { kind: "user", userId }));
const create = (userId: string, name: string) => as(userId).personalToken.create({ name, scopes: ["org:read"], expiresAt: inDays(30) });
const rows = async (userId: string) =>
  Number((await admin.query("SELECT count(*) FROM personal_access_tokens WHERE user_id = $1", [userId])).rows[0].count);

describe("the cap on active personal access tokens", () => {
  it("refuses the 51st active token and writes nothing; a revoked or expired one frees a place", async () => {
    const { id: userId } = await createUser(testDb.db);
    const created = [];
    for (let i = 0; i < CAP; i++) created.push(await create(userId, `tool ${i}`));
    expect(await outcomeOf(create(userId, "one too many"))).toBe("PRECONDITION_FAILED TOO_MANY_TOKENS");
    expect(await rows(userId)).toBe(CAP);

    await as(userId).personalToken.revoke({ tokenId: created[0]?.personalToken.id as string });
    expect(await outcomeOf(create(userId, "after a revoke"))).toBe("ok");
    expect(await outcomeOf(create(userId, "full again"))).toBe("PRECONDITION_FAILED TOO_MANY_TOKENS");

    await admin.query("UPDATE personal_access_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1", [
      created[1]?.personalToken.id,
    ]);
    expect(await outcomeOf(create(userId, "after an expiry"))).toBe("ok");
    expect(await rows(userId)).toBe(CAP + 2);
  });

  it("lets exactly the places left be taken by concurrent creations", async () => {
    const { id: userId } = await createUser(testDb.db);
    for (let i = 0; i < CAP - 2; i++) await create(userId, `tool ${i}`);
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => outcomeOf(create(userId, `racer ${i}`))));
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(2);
    expect(outcomes.filter((o) => o === "PRECONDITION_FAILED TOO_MANY_TOKENS")).toHaveLength(4);
    expect(await rows(userId)).toBe(CAP);
  });
});
