import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Identity } from "./context.js";
import { type ActorAccess, decide } from "./rbac/access.js";
import { isTeamScoped, type Permission } from "./rbac/permissions.js";
import { appRouter, createCaller } from "./root.js";
import { procedureFixtures } from "./routers/fixtures.js";
import { loadMemberAccess, loadTeamParents } from "./services/access/member-access.js";
import { createMemoryStore } from "./store/index.js";
import type { Caller, ProcedureFixture } from "./testing/fixtures.js";
import { allScopesExcept, apiKeyIdentity, contextFor, createWorld, type World } from "./testing/world.js";
import type { ProcedureMeta } from "./trpc.js";

/**
 * Generated from the router: every procedure × every kind of caller, compared with the outcome
 * its declared access implies. A new procedure joins by itself; without a declaration or a
 * fixture it fails here.
 */
type Outcome = "ok" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND";
const USER_CALLERS = ["owner", "admin", "member", "viewer", "targetLead", "unrelatedLead", "nonMember", "foreignOwner"] as const;
const CALLERS = [...USER_CALLERS, "keyWithoutScope", "keyWithScope", "anonymous"] as const;
type CallerName = (typeof CALLERS)[number];

// At run time the record is flat, keyed by dotted path ("member.updateRole").
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta; type: string } }>,
).map(([path, procedure]) => ({ path, meta: procedure._def.meta, type: procedure._def.type }));

let testDb: TestDatabase;
let world: World;
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
});
afterAll(() => testDb.drop());

describe("every procedure declares its access and has a fixture", () => {
  it("finds the procedures", () => {
    expect(procedures.length).toBeGreaterThan(5);
  });
  it.each(procedures)("$path", ({ path, meta }) => {
    const declarations = [meta?.access, meta?.permission].filter(Boolean);
    expect(declarations, `${path} must declare exactly one of { access } or { permission }`).toHaveLength(1);
    expect(procedureFixtures[path], `${path} needs a fixture in routers/<domain>/fixtures.ts`).toBeTypeOf("function");
  });
});

async function expectedOutcome(world: World, meta: ProcedureMeta, caller: CallerName, input: unknown): Promise<Outcome> {
  if (caller === "anonymous") return meta.access === "public" ? "ok" : "UNAUTHORIZED";
  if (meta.access === "public") return "ok";
  const isKey = caller === "keyWithScope" || caller === "keyWithoutScope";
  if (meta.access === "authenticated") return isKey ? "FORBIDDEN" : "ok";

  // Organization-scoped from here on.
  if (caller === "nonMember" || caller === "foreignOwner") return "NOT_FOUND";
  if (isKey) return meta.access === "member" || meta.apiKeys === false || caller === "keyWithoutScope" ? "FORBIDDEN" : "ok";
  if (meta.access === "member") return "ok";
  const permission = meta.permission as Permission;
  const access = (await loadMemberAccess(world, world.orgId, world.users[caller].userId, { includeDeleted: true })) as ActorAccess;
  const teamId = isTeamScoped(permission) ? ((input as Record<string, string> | undefined)?.[meta.teamInput ?? "teamId"] ?? null) : null;
  const teamParents = teamId ? await loadTeamParents(world, world.orgId) : undefined;
  return decide(access, permission, { teamId, teamParents }).allowed ? "ok" : "FORBIDDEN";
}

async function identityOf(world: World, caller: CallerName, meta: ProcedureMeta): Promise<Identity | null> {
  if (caller === "anonymous") return null;
  if (caller === "keyWithScope" || caller === "keyWithoutScope") {
    const permission = meta.permission ?? "org:read";
    return apiKeyIdentity(world, caller === "keyWithScope" ? [permission] : allScopesExcept(permission));
  }
  return { kind: "user", userId: world.users[caller].userId };
}

async function call(
  world: World,
  path: string,
  identity: Identity | null,
  input: unknown,
): Promise<{ outcome: Outcome | string; error?: unknown }> {
  // biome-ignore lint/suspicious/noExplicitAny: walking the caller by a runtime path
  let target: any = createCaller(contextFor(world, identity));
  for (const segment of path.split(".")) target = target[segment];
  try {
    await target(input);
    return { outcome: "ok" };
  } catch (error) {
    return { outcome: error instanceof TRPCError ? error.code : "THREW", error };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The same input with every id spelled in upper case (PostgreSQL reads them as the same ids). */
function shoutIds(value: unknown): unknown {
  if (typeof value === "string") return UUID.test(value) ? value.toUpperCase() : value;
  if (Array.isArray(value)) return value.map(shoutIds);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shoutIds(v)]));
  return value;
}
describe.each(procedures.filter((p) => p.meta && procedureFixtures[p.path]))("$path", ({ path, meta }) => {
  const fixture = procedureFixtures[path] as ProcedureFixture & { isolated?: true };
  // Each caller calls twice, with fresh fixtures: once as the console sends ids, once with
  // them in upper case. The outcome must not depend on the spelling (caches and locks used to
  // key on it).
  it.each(CALLERS)("as %s, ids as sent and in upper case", async (caller) => {
    for (const spelling of ["as sent", "upper case"] as const) {
      // A procedure that changes the world for everyone (deletes the org, removes the caller) gets a fresh one per call.
      const callWorld = fixture.isolated ? await createWorld(testDb.db, world.store) : world;
      const identity = await identityOf(callWorld, caller, meta as ProcedureMeta);
      const fixtureCaller: Caller = identity === null ? { kind: "anonymous" } : identity.kind === "user" ? identity : { kind: "api_key" };
      const input = await fixture(callWorld, fixtureCaller);
      const expected = await expectedOutcome(callWorld, meta as ProcedureMeta, caller, input);
      const { outcome, error } = await call(callWorld, path, identity, spelling === "upper case" ? shoutIds(input) : input);
      expect(outcome, `${path} as ${caller}, ids ${spelling}: ${error instanceof Error ? error.message : ""}`).toBe(expected);
    }
  });
});
