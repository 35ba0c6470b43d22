import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "./root.js";
import { procedureFixtures } from "./routers/fixtures.js";
import { createMemoryStore } from "./store/index.js";
import type { ProcedureFixture } from "./testing/fixtures.js";
import { contextFor, createWorld, type World } from "./testing/world.js";
import type { ProcedureMeta } from "./trpc.js";

/**
 * Organization B's owner attacks organization A through every org-scoped procedure: with A's
 * orgId, and with B's orgId but A's resource ids. Every call is NOT_FOUND, and A's rows are
 * byte for byte what they were.
 */
const TENANT_TABLES = [
  "organizations",
  "members",
  "teams",
  "team_memberships",
  "invitations",
  "member_permission_overrides",
  "org_api_keys",
  "audit_events",
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const orgProcedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta } }>)
  .filter(([, p]) => p._def.meta?.permission || p._def.meta?.access === "member")
  .map(([path]) => path);

let testDb: TestDatabase;
let admin: pg.Client;
beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await testDb.drop();
});

/** A fingerprint of everything org A owns, read past row-level security. */
async function snapshot(orgId: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of TENANT_TABLES) {
    const column = table === "organizations" ? "id" : "organization_id";
    const { rows } = await admin.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${table} t WHERE ${column} = $1`,
      [orgId],
    );
    result[table] = `${rows[0].n}:${rows[0].h}`;
  }
  return result;
}

async function callAs(world: World, userId: string, path: string, input: unknown): Promise<string> {
  // biome-ignore lint/suspicious/noExplicitAny: walking the caller by a runtime path
  let target: any = createCaller(contextFor(world, { kind: "user", userId }));
  for (const segment of path.split(".")) target = target[segment];
  try {
    await target(input);
    return "ok";
  } catch (error) {
    return error instanceof TRPCError ? error.code : `THREW ${String(error)}`;
  }
}

describe("cross-tenant: organization B's owner against organization A", () => {
  it("covers the org-scoped procedures", () => {
    expect(orgProcedures.length).toBeGreaterThan(20);
  });

  it.each(orgProcedures)("%s", async (path) => {
    const world = await createWorld(testDb.db, createMemoryStore());
    const attacker = world.users.foreignOwner.userId;
    const fixture = procedureFixtures[path] as ProcedureFixture;
    const input = (await fixture(world, { kind: "user", userId: world.users.owner.userId })) as Record<string, unknown>;
    const before = await snapshot(world.orgId);

    expect(await callAs(world, attacker, path, input), "with A's orgId").toBe("NOT_FOUND");
    const referencesA = Object.entries(input).some(
      ([key, value]) => key !== "orgId" && (UUID.test(String(value)) || (Array.isArray(value) && value.some((v) => UUID.test(String(v))))),
    );
    if (referencesA) {
      expect(await callAs(world, attacker, path, { ...input, orgId: world.foreignOrgId }), "with B's orgId and A's ids").toBe("NOT_FOUND");
    }
    expect(await snapshot(world.orgId)).toEqual(before);
  });
});
