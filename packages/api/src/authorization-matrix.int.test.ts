import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Identity } from "./context.js";
import { appRouter, createCaller } from "./root.js";
import { procedureFixtures } from "./routers/fixtures.js";
import { createMemoryStore } from "./store/index.js";
import { auditChainProblems } from "./testing/audit-chain.js";
import {
  CALLER_KINDS,
  CATALOGUE,
  type CallerKind,
  type CataloguePermission,
  expectedOutcome,
  ORACLE,
  pathOf,
} from "./testing/authorization-oracle.js";
import { type EffectContext, mutationEffects } from "./testing/effects.js";
import type { Caller, ProcedureFixture } from "./testing/fixtures.js";
import { createInspector, type Inspector } from "./testing/inspector.js";
import { matrixVariants } from "./testing/matrix-variants.js";
import { apiKeyIdentity, contextFor, createWorld, personalTokenIdentity, type World, type WorldUser } from "./testing/world.js";
import type { ProcedureMeta } from "./trpc.js";

/**
 * Every procedure (and every second target in testing/matrix-variants.ts) × every kind of
 * caller, compared with the hand-written oracle (testing/authorization-oracle.ts) — never with
 * the declarations or `decide()`, which are what is being checked. Every mutation's effect is
 * read back from the database: an allowed call changed its row and recorded its audit event,
 * a refused one changed nothing and recorded nothing.
 */

// At run time the record is flat, keyed by dotted path ("member.updateRole").
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta; type: string } }>,
).map(([path, procedure]) => ({ path, meta: procedure._def.meta, type: procedure._def.type }));
const mutations = new Set(procedures.filter((p) => p.type === "mutation").map((p) => p.path));

const USER_OF: Partial<Record<CallerKind, WorldUser>> = {
  owner: "owner",
  admin: "admin",
  member: "member",
  viewer: "viewer",
  leadOfTarget: "directLead",
  leadOfAncestor: "targetLead",
  leadOfSibling: "siblingLead",
  teamMember: "teamMember",
  nonMember: "nonMember",
  foreignOwner: "foreignOwner",
};

let testDb: TestDatabase;
let world: World;
let inspector: Inspector;
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
  inspector = await createInspector(testDb.adminUrl);
});
afterAll(async () => {
  await inspector?.close();
  await testDb.drop();
});

describe("every procedure declares its access, has a fixture and an oracle row; every mutation an effect check", () => {
  it("finds the procedures", () => {
    expect(procedures.length).toBeGreaterThan(30);
  });
  it.each(procedures)("$path", ({ path, meta, type }) => {
    const declarations = [meta?.access, meta?.permission].filter(Boolean);
    expect(declarations, `${path} must declare exactly one of { access } or { permission }`).toHaveLength(1);
    expect(procedureFixtures[path], `${path} needs a fixture in routers/<domain>/fixtures.ts`).toBeTypeOf("function");
    expect(ORACLE[path], `${path} needs a hand-written row in testing/authorization-oracle.ts`).toBeDefined();
    if (type === "mutation") expect(mutationEffects[path], `${path} needs an effect check in testing/effects.ts`).toBeDefined();
  });
  it("has no oracle row, variant or effect check for a procedure that does not exist", () => {
    const paths = new Set(procedures.map((p) => p.path));
    for (const key of [...Object.keys(ORACLE), ...Object.keys(matrixVariants)]) expect(paths, key).toContain(pathOf(key));
    for (const key of Object.keys(matrixVariants)) expect(ORACLE[key], key).toBeDefined();
    for (const key of Object.keys(mutationEffects)) expect(mutations, key).toContain(key);
    for (const key of Object.keys(ORACLE).filter((k) => k !== pathOf(k))) expect(matrixVariants[key], key).toBeTypeOf("function");
  });
});

const KEY_CALLERS = ["keyExactScope", "keyAllScopes", "keyAllButNeeded"] as const;
type KeyCaller = (typeof KEY_CALLERS)[number];

function scopesFor(caller: KeyCaller, scope: CataloguePermission | null): CataloguePermission[] {
  if (caller === "keyExactScope") return scope ? [scope] : [];
  if (caller === "keyAllScopes") return [...CATALOGUE];
  return CATALOGUE.filter((p) => p !== scope);
}

// Keys are issued once per world and scope set (a key of a deleted org would not authenticate later).
const keyCache = new Map<string, Promise<Identity>>();
const once = (cacheKey: string, make: () => Promise<Identity>) => {
  let identity = keyCache.get(cacheKey);
  if (!identity) {
    identity = make();
    keyCache.set(cacheKey, identity);
  }
  return identity;
};

/** The owner's token with every scope a token may have, and a member's with a narrow set (hand-written, as in the oracle). */
const TOKEN_OWNER_SCOPES = CATALOGUE.filter((p) => p !== "org:delete" && p !== "org:transfer");
const TOKEN_MEMBER_SCOPES: CataloguePermission[] = ["org:read", "team:read", "team:update"];

/** The callers that are neither a session nor one of the scope-per-row keys: fixed per world. */
const FIXED_CREDENTIALS = {
  // An organization key with every scope, bound to the target team.
  keyTeamBound: (w: World) => once(`${w.orgId}:team-bound`, () => apiKeyIdentity(w, [...CATALOGUE], w.targetTeamId)),
  tokenOwner: (w: World) => once(`${w.orgId}:token-owner`, () => personalTokenIdentity(w, "owner", TOKEN_OWNER_SCOPES)),
  tokenMember: (w: World) => once(`${w.orgId}:token-member`, () => personalTokenIdentity(w, "member", TOKEN_MEMBER_SCOPES)),
} as const;
type FixedCaller = keyof typeof FIXED_CREDENTIALS;
const isFixed = (caller: CallerKind): caller is FixedCaller => Object.hasOwn(FIXED_CREDENTIALS, caller);
function keyIdentity(w: World, caller: KeyCaller, scope: CataloguePermission | null): Promise<Identity> {
  const scopes = scopesFor(caller, scope);
  return once(`${w.orgId}:${scopes.join(",")}`, () => apiKeyIdentity(w, scopes));
}

async function identityOf(w: World, caller: CallerKind, scope: CataloguePermission | null): Promise<Identity | null> {
  if (caller === "anonymous") return null;
  if ((KEY_CALLERS as readonly string[]).includes(caller)) return keyIdentity(w, caller as KeyCaller, scope);
  if (isFixed(caller)) return FIXED_CREDENTIALS[caller](w);
  return { kind: "user", userId: w.users[USER_OF[caller] as WorldUser].userId };
}

async function call(
  w: World,
  path: string,
  identity: Identity | null,
  input: unknown,
): Promise<{ outcome: string; result?: unknown; error?: unknown }> {
  // biome-ignore lint/suspicious/noExplicitAny: walking the caller by a runtime path
  let target: any = createCaller(contextFor(w, identity));
  for (const segment of path.split(".")) target = target[segment];
  try {
    return { outcome: "ok", result: await target(input) };
  } catch (error) {
    return { outcome: error instanceof TRPCError ? error.code : "THREW", error };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The same input with every id spelled in upper case (PostgreSQL reads them as the same ids). */
function shoutIds(value: unknown): unknown {
  if (typeof value === "string") return UUID.test(value) ? value.toUpperCase() : value;
  if (Array.isArray(value)) return value.map(shoutIds);
  if (value instanceof Date) return value;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shoutIds(v)]));
  return value;
}

const lastSeq = (orgId: string) =>
  inspector.value<string>("SELECT coalesce(max(seq), 0)::text FROM audit_events WHERE organization_id = $1", [orgId]);
const eventsSince = (orgId: string, seq: string | null) =>
  inspector.rows<{ action: string; actor_type: string; actor_id: string | null }>(
    "SELECT action, actor_type::text, actor_id FROM audit_events WHERE organization_id = $1 AND seq > $2::bigint ORDER BY seq",
    [orgId, seq ?? "0"],
  );

/**
 * Procedures that change the world for everyone (delete the org, transfer it, remove the
 * caller) run in a world of their own. A world in which the last call was refused (and, as
 * checked, nothing changed) serves the next caller; one where a call went through is retired.
 */
const spareWorlds = new Map<string, World>();
async function isolatedWorld(key: string, scope: CataloguePermission | null): Promise<World> {
  const spare = spareWorlds.get(key);
  if (spare) return spare;
  const fresh = await createWorld(testDb.db, world.store);
  for (const caller of KEY_CALLERS) await keyIdentity(fresh, caller, scope);
  for (const make of Object.values(FIXED_CREDENTIALS)) await make(fresh);
  spareWorlds.set(key, fresh);
  return fresh;
}

const rows = Object.keys(ORACLE).map((key) => ({ key, path: pathOf(key) }));

describe.each(rows)("$key", ({ key, path }) => {
  const fixture = (matrixVariants[key] ?? procedureFixtures[path]) as ProcedureFixture & { isolated?: true };
  const scope = ORACLE[key]?.scope ?? null;
  const effect = mutationEffects[path];
  // Each caller calls twice, with fresh fixtures: once as the console sends ids, once with
  // them in upper case. The outcome must not depend on the spelling (caches and locks used to
  // key on it).
  it.each(CALLER_KINDS)("as %s, ids as sent and in upper case", async (caller) => {
    expect(fixture, `${key} has no fixture`).toBeTypeOf("function");
    const expected = expectedOutcome(key, caller);
    for (const spelling of ["as sent", "upper case"] as const) {
      const w = fixture.isolated ? await isolatedWorld(key, scope) : world;
      const identity = await identityOf(w, caller, scope);
      // A personal access token acts as its person: fixtures prepare what that person needs.
      const fixtureCaller: Caller =
        identity === null
          ? { kind: "anonymous" }
          : identity.kind === "api_key"
            ? { kind: "api_key" }
            : { kind: "user", userId: identity.userId };
      const input = await fixture(w, fixtureCaller);
      const ctx: EffectContext = { world: w, db: inspector, input, caller: fixtureCaller };
      const seq = await lastSeq(w.orgId);
      const before = effect ? await effect.read(ctx) : undefined;

      const { outcome, result, error } = await call(w, path, identity, spelling === "upper case" ? shoutIds(input) : input);
      const label = `${key} as ${caller}, ids ${spelling}`;
      expect(outcome, `${label}: ${error instanceof Error ? error.message : ""}`).toBe(expected);

      const events = await eventsSince(w.orgId, seq);
      if (outcome !== "ok" || !effect) {
        expect(events, `${label}: a refused call or a query records nothing`).toEqual([]);
        if (effect) expect(await effect.read(ctx), `${label}: a refused call changes nothing`).toEqual(before);
        continue;
      }
      if (fixture.isolated) spareWorlds.delete(key);
      await effect.changed({ ...ctx, before, after: await effect.read(ctx), result });
      if (effect.audit) {
        const actor =
          identity?.kind === "api_key"
            ? { actor_type: "api_key", actor_id: identity.apiKeyId }
            : { actor_type: "user", actor_id: identity?.userId };
        expect(events, `${label}: records ${effect.audit} by the caller`).toContainEqual({ action: effect.audit, ...actor });
      } else {
        expect(events, `${label}: records nothing in this organization`).toEqual([]);
      }
    }
  });
});

describe("after the matrix", () => {
  it("every organization's audit trail still chains (checked independently of verifyAuditChain)", async () => {
    const orgs = await inspector.rows<{ organization_id: string }>("SELECT DISTINCT organization_id FROM audit_events");
    expect(orgs.length).toBeGreaterThan(10);
    for (const { organization_id } of orgs) expect(await auditChainProblems(inspector, organization_id), organization_id).toEqual([]);
  });
});
