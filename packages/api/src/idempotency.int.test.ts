import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Context } from "./context.js";
import { createCaller } from "./root.js";
import type { Store } from "./store/index.js";
import { createInspector, type Inspector } from "./testing/inspector.js";
import { outcomeOf } from "./testing/outcome.js";
import { BOTH_STORES } from "./testing/stores.js";
import { addMember, asUser, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * Mutations retried with the same Idempotency-Key run once (middleware/idempotency.ts): the
 * retry answers the first result, a different request under the same key is refused, a failed
 * first call leaves the key free, and a replay never outlives the caller's access.
 */
let testDb: TestDatabase;
let inspector: Inspector;
beforeAll(async () => {
  testDb = await createTestDatabase();
  inspector = await createInspector(testDb.adminUrl);
});
afterAll(async () => {
  await inspector?.close();
  await testDb?.drop();
});

describe.each(BOTH_STORES)("idempotent mutations (%s)", (_label, makeStore) => {
  let w: World;
  let store: Store;
  beforeAll(async () => {
    store = makeStore();
    w = await createWorld(testDb.db, store);
  });
  afterAll(async () => {
    await store.close();
  });

  const withKey = (ctx: Context, idempotencyKey: string | null): Context => ({ ...ctx, idempotencyKey });
  const teamsNamed = async (name: string) =>
    (await inspector.rows<{ id: string }>("SELECT id FROM teams WHERE organization_id = $1 AND name = $2", [w.orgId, name])).map(
      (row) => row.id,
    );

  it("a retry with the same key and input answers the first result and writes nothing more", async () => {
    const name = `Retried ${randomUUID().slice(0, 8)}`;
    const key = randomUUID();
    const caller = () => createCaller(withKey(asUser(w, "owner"), key));
    const first = await caller().team.create({ orgId: w.orgId, name });
    const second = await caller().team.create({ orgId: w.orgId, name });
    expect(second).toEqual(first);
    expect(await teamsNamed(name)).toEqual([first.id]);
    const auditRows = await inspector.rows(
      "SELECT 1 FROM audit_events WHERE organization_id = $1 AND action = 'team.created' AND target_id = $2",
      [w.orgId, first.id],
    );
    expect(auditRows).toHaveLength(1);
  });

  it("without a key, the same call runs twice (so the replay above is the key's doing)", async () => {
    const name = `Unkeyed ${randomUUID().slice(0, 8)}`;
    await createCaller(asUser(w, "owner")).team.create({ orgId: w.orgId, name });
    expect(await outcomeOf(createCaller(asUser(w, "owner")).team.create({ orgId: w.orgId, name }))).toBe("CONFLICT TEAM_NAME_TAKEN");
    expect(await teamsNamed(name)).toHaveLength(1);
  });

  it("the same key with a different request is refused, and that request writes nothing", async () => {
    const key = randomUUID();
    const a = `First ${randomUUID().slice(0, 8)}`;
    const b = `Second ${randomUUID().slice(0, 8)}`;
    await createCaller(withKey(asUser(w, "owner"), key)).team.create({ orgId: w.orgId, name: a });
    expect(await outcomeOf(createCaller(withKey(asUser(w, "owner"), key)).team.create({ orgId: w.orgId, name: b }))).toBe(
      "CONFLICT IDEMPOTENCY_KEY_REUSED",
    );
    expect(await teamsNamed(b)).toEqual([]);
  });

  it("keys are the caller's own: another caller's same key is a separate request", async () => {
    const key = randomUUID();
    const a = `Owner's ${randomUUID().slice(0, 8)}`;
    const b = `Admin's ${randomUUID().slice(0, 8)}`;
    await createCaller(withKey(asUser(w, "owner"), key)).team.create({ orgId: w.orgId, name: a });
    await createCaller(withKey(asUser(w, "admin"), key)).team.create({ orgId: w.orgId, name: b });
    expect(await teamsNamed(a)).toHaveLength(1);
    expect(await teamsNamed(b)).toHaveLength(1);
  });

  it("a failed first call leaves the key free: the retry runs once the cause is gone", async () => {
    const key = randomUUID();
    const name = `Taken ${randomUUID().slice(0, 8)}`;
    const existing = await createCaller(asUser(w, "owner")).team.create({ orgId: w.orgId, name });
    const caller = () => createCaller(withKey(asUser(w, "owner"), key));
    expect(await outcomeOf(caller().team.create({ orgId: w.orgId, name }))).toBe("CONFLICT TEAM_NAME_TAKEN");
    await createCaller(asUser(w, "owner")).team.delete({ orgId: w.orgId, teamId: existing.id });
    const created = await caller().team.create({ orgId: w.orgId, name });
    expect(created.id).not.toBe(existing.id);
    expect(await teamsNamed(name)).toEqual([created.id]);
  });

  it("concurrent calls with one key create exactly one team; the others are told to retry or get its result", async () => {
    const key = randomUUID();
    const name = `Burst ${randomUUID().slice(0, 8)}`;
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => outcomeOf(createCaller(withKey(asUser(w, "owner"), key)).team.create({ orgId: w.orgId, name }))),
    );
    expect(await teamsNamed(name)).toHaveLength(1);
    expect(outcomes.every((o) => o === "ok" || o === "CONFLICT IDEMPOTENCY_IN_PROGRESS")).toBe(true);
    expect(outcomes.filter((o) => o === "ok").length).toBeGreaterThanOrEqual(1);
    // Once finished, a retry gets the one team.
    const retried = await createCaller(withKey(asUser(w, "owner"), key)).team.create({ orgId: w.orgId, name });
    expect(await teamsNamed(name)).toEqual([retried.id]);
  });

  it("a replay never outlives access: demoted, the same retry is refused", async () => {
    const person = await addMember(w, "admin");
    const key = randomUUID();
    const name = `Before demotion ${randomUUID().slice(0, 8)}`;
    const caller = () => createCaller(withKey(contextFor(w, { kind: "user", userId: person.userId }), key));
    await caller().team.create({ orgId: w.orgId, name });
    await createCaller(asUser(w, "owner")).member.updateRole({ orgId: w.orgId, memberId: person.memberId, role: "viewer" });
    expect(await outcomeOf(caller().team.create({ orgId: w.orgId, name }))).toBe("FORBIDDEN");
  });

  it("refuses a malformed key before writing anything; queries ignore the key", async () => {
    const name = `Malformed ${randomUUID().slice(0, 8)}`;
    expect(await outcomeOf(createCaller(withKey(asUser(w, "owner"), "has spaces")).team.create({ orgId: w.orgId, name }))).toBe(
      "BAD_REQUEST",
    );
    expect(await outcomeOf(createCaller(withKey(asUser(w, "owner"), "x".repeat(256))).team.create({ orgId: w.orgId, name }))).toBe(
      "BAD_REQUEST",
    );
    expect(await teamsNamed(name)).toEqual([]);
    const key = randomUUID();
    const reader = () => createCaller(withKey(asUser(w, "owner"), key)).organization.get({ orgId: w.orgId });
    const before = await reader();
    await createCaller(asUser(w, "owner")).organization.update({ orgId: w.orgId, name: `Renamed ${randomUUID().slice(0, 6)}` });
    expect((await reader()).name).not.toBe(before.name); // not a replay
  });
});

describe("idempotency while the store is down", () => {
  it("runs the call (no deduplication) rather than failing or hanging", async () => {
    const healthy = BOTH_STORES[0][1]();
    const w = await createWorld(testDb.db, healthy);
    const broken: Store = Object.create(healthy);
    const fail = async () => {
      throw new Error("store unreachable");
    };
    broken.setIfUnchanged = fail;
    broken.get = fail;
    const name = `Outage ${randomUUID().slice(0, 8)}`;
    const ctx: Context = { ...asUser(w, "owner"), store: broken, idempotencyKey: randomUUID() };
    await createCaller(ctx).team.create({ orgId: w.orgId, name });
    expect(await inspector.rows("SELECT 1 FROM teams WHERE organization_id = $1 AND name = $2", [w.orgId, name])).toHaveLength(1);
  });
});
