import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { appRouter, createCaller } from "./root.js";
import { procedureFixtures } from "./routers/fixtures.js";
import { createMemoryStore } from "./store/index.js";
import type { ProcedureFixture } from "./testing/fixtures.js";
import { contextFor, createWorld, type World } from "./testing/world.js";
import type { ProcedureMeta } from "./trpc.js";

/**
 * Every response is a contract: each procedure declares an output schema, and what the
 * schema does not name never reaches a caller — a new column, a token hash, an internal flag.
 * Checked with each procedure's real answer, with a field injected into every object in it.
 */
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta; output?: z.ZodType } }>,
).map(([path, procedure]) => ({ path, meta: procedure._def.meta, output: procedure._def.output }));

let testDb: TestDatabase;
let world: World;
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
  // So that lists have an item to check (an empty list strips nothing).
  await testDb.db.withTenant({ orgId: world.orgId }, (tx) =>
    tx.notification.createMany({
      data: { organizationId: world.orgId, userId: world.users.owner.userId, kind: "test", title: "Hello", body: "A notification" },
    }),
  );
});
afterAll(() => testDb.drop());

const INJECTED = "injectedSecret";

/** The same value with an extra field in every object, at any depth. */
function inject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inject);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return { ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inject(v)])), [INJECTED]: "must not leak" };
  }
  return value;
}

function containsInjected(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsInjected);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return INJECTED in value || Object.values(value).some(containsInjected);
  }
  return false;
}

describe.each(procedures)("$path", ({ path, meta, output }) => {
  it("declares its response and strips what it does not name", async () => {
    expect(output, `${path} needs .output(schema)`).toBeDefined();
    const fixture = procedureFixtures[path] as ProcedureFixture & { isolated?: true };
    const callWorld = fixture.isolated ? await createWorld(testDb.db, world.store) : world;
    const identity = meta?.access === "public" ? null : ({ kind: "user", userId: callWorld.users.owner.userId } as const);
    const input = await fixture(callWorld, identity ?? { kind: "anonymous" });
    // biome-ignore lint/suspicious/noExplicitAny: walking the caller by a runtime path
    let target: any = createCaller(contextFor(callWorld, identity));
    for (const segment of path.split(".")) target = target[segment];
    const answer = await target(input);

    const injected = inject(answer);
    if (answer !== null && typeof answer === "object") expect(containsInjected(injected), "nothing to inject into").toBe(true);
    const parsed = (output as z.ZodType).parse(injected);
    expect(containsInjected(parsed)).toBe(false);
    expect(parsed).toEqual(answer);
  });
});
