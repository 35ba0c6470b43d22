import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { TRPCError } from "@trpc/server";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "./root.js";
import { procedureFixtures } from "./routers/fixtures.js";
import { createMemoryStore } from "./store/index.js";
import { databaseDigester } from "./testing/db-digest.js";
import type { ProcedureFixture } from "./testing/fixtures.js";
import { contextFor, createWorld, type World } from "./testing/world.js";

/**
 * Property: whatever input arrives, no procedure answers with an internal error. Inputs are
 * random JSON, and valid inputs with one field replaced by random JSON (the nastier case: it
 * gets past the outer shape). Called as the org's owner, the most privileged caller; an input
 * refused as bad must leave every row of the database as it was.
 */
const paths = Object.keys(appRouter._def.procedures as unknown as Record<string, unknown>);
const json = fc.jsonValue({ maxDepth: 3 });
const weird = fc.oneof(
  json,
  fc.constantFrom(
    "",
    " ",
    "00000000-0000-0000-0000-000000000000",
    "' OR 1=1 --",
    "\u0000",
    "😀".repeat(50),
    "a".repeat(10_000),
    -1,
    1e308,
    Number.NaN,
  ),
);

let testDb: TestDatabase;
let world: World;
let admin: pg.Client;
let digest: () => Promise<string>;
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  digest = await databaseDigester(admin);
});
afterAll(async () => {
  await admin?.end();
  await testDb.drop();
});

async function codeOf(path: string, input: unknown): Promise<string> {
  // biome-ignore lint/suspicious/noExplicitAny: walking the caller by a runtime path
  let target: any = createCaller(contextFor(world, { kind: "user", userId: world.users.owner.userId }));
  for (const segment of path.split(".")) target = target[segment];
  try {
    await target(input);
    return "ok";
  } catch (error) {
    return error instanceof TRPCError ? error.code : "THREW";
  }
}

describe("bad input never causes an internal error", () => {
  it.each(paths)("%s", async (path) => {
    const valid = (await (procedureFixtures[path] as ProcedureFixture)(world, { kind: "user", userId: world.users.owner.userId })) as
      | Record<string, unknown>
      | undefined;
    const keys = valid && typeof valid === "object" ? Object.keys(valid) : [];
    const arbitrary = fc.oneof(
      json,
      keys.length > 0 ? fc.tuple(fc.constantFrom(...keys), weird).map(([key, value]) => ({ ...valid, [key]: value })) : json,
    );
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        const before = await digest();
        const code = await codeOf(path, input);
        // An input refused as bad leaves every row as it was.
        if (code === "BAD_REQUEST")
          expect(await digest(), `${path} refused ${JSON.stringify(input)?.slice(0, 200)} but wrote`).toBe(before);
        return code !== "INTERNAL_SERVER_ERROR" && code !== "THREW";
      }),
      { numRuns: 25, seed: 20261127 },
    );
  });
});

it("keeps the valid inputs valid (the property is not vacuous)", async () => {
  expect(await codeOf("organization.get", { orgId: world.orgId })).toBe("ok");
});
