import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Identity } from "./context.js";
import { createCaller } from "./root.js";
import { authenticateApiKey } from "./services/api-keys/authenticate-api-key.js";
import { hashApiKey } from "./services/api-keys/key-format.js";
import { createMemoryStore } from "./store/index.js";
import { createInspector, type Inspector } from "./testing/inspector.js";
import { outcomeOf } from "./testing/outcome.js";
import { addMember, asUser, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * The `apiKey` router against a real database: the key is shown once and only its hash is
 * stored; scopes stay within the creator's permissions; revoking stops a key at once; rotating
 * keeps the old key working for the grace period only; keys outlive their creator; a team-bound
 * key acts only on its team's subtree and dies with its team; the audit trail never holds key
 * material (docs/authorization.md, "API keys").
 */
let testDb: TestDatabase;
let w: World;
let inspector: Inspector;
beforeAll(async () => {
  testDb = await createTestDatabase();
  w = await createWorld(testDb.db, createMemoryStore());
  inspector = await createInspector(testDb.adminUrl);
});
afterAll(async () => {
  await inspector?.close();
  await testDb?.drop();
});

const owner = () => createCaller(asUser(w, "owner"));
const admin = () => createCaller(asUser(w, "admin"));
const asKey = (identity: Identity) => createCaller(contextFor(w, identity));
const name = (label: string) => `${label} ${Math.random().toString(36).slice(2, 8)}`;

async function authenticated(key: string): Promise<Identity> {
  const identity = await authenticateApiKey(w.db, key);
  if (!identity) throw new Error("the key did not authenticate");
  return identity;
}

const keyRow = (id: string) =>
  inspector
    .rows<{
      key_hash: string;
      status: string;
      team_id: string | null;
      expires_at: Date | null;
      counter_id: string | null;
      replaced_by_id: string | null;
      rotated_from_id: string | null;
    }>("SELECT key_hash, status::text, team_id, expires_at, counter_id, replaced_by_id, rotated_from_id FROM org_api_keys WHERE id = $1", [
      id,
    ])
    .then((r) => r[0]);

const auditOf = (targetId: string) =>
  inspector.rows<{ action: string; actor_id: string | null; before: unknown; after: unknown }>(
    "SELECT action, actor_id, before, after FROM audit_events WHERE organization_id = $1 AND target_id = $2 ORDER BY seq",
    [w.orgId, targetId],
  );

describe("create, list, get", () => {
  it("returns the full key once; only its hash is stored; the key authenticates with its scopes and limits", async () => {
    const created = await admin().apiKey.create({
      orgId: w.orgId,
      name: name("CI"),
      scopes: ["usage:write", "budget:read"],
      rateLimitPerMinute: 42,
      monthlyQuota: 5_000,
      allowedModels: ["gpt-4o-mini", "gpt-4o-mini"],
    });
    expect(created.key).toMatch(/^aih_live_/);
    expect(created.apiKey).toMatchObject({
      prefix: created.key.slice(0, 16),
      scopes: ["usage:write", "budget:read"],
      rateLimitPerMinute: 42,
      monthlyQuota: 5_000,
      allowedModels: ["gpt-4o-mini"],
      status: "active",
      team: null,
      createdById: w.users.admin.userId,
      creator: { email: w.users.admin.email },
    });
    const row = await keyRow(created.apiKey.id);
    expect(row?.key_hash).toBe(hashApiKey(created.key));
    expect(row?.counter_id).toBe(created.apiKey.id);
    expect(await authenticated(created.key)).toMatchObject({
      kind: "api_key",
      apiKeyId: created.apiKey.id,
      orgId: w.orgId,
      teamId: null,
      scopes: ["usage:write", "budget:read"],
    });
  });

  it("never shows the key or its hash in list or get, for any caller", async () => {
    const { key, apiKey } = await owner().apiKey.create({ orgId: w.orgId, name: name("Listed"), scopes: ["api_key:read"] });
    const hash = hashApiKey(key);
    const member = createCaller(asUser(w, "member"));
    const byKey = asKey(await authenticated(key));
    for (const caller of [owner(), member, byKey]) {
      const all = [];
      let cursor: string | null = null;
      do {
        const page = await caller.apiKey.list({ orgId: w.orgId, limit: 2, cursor });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(all.map((k) => k.id)).toContain(apiKey.id);
      expect(new Set(all.map((k) => k.id)).size, "pages do not overlap").toBe(all.length);
      const got = await caller.apiKey.get({ orgId: w.orgId, apiKeyId: apiKey.id });
      for (const answer of [JSON.stringify(all), JSON.stringify(got)]) {
        expect(answer).not.toContain(key);
        expect(answer).not.toContain(key.slice(16));
        expect(answer).not.toContain(hash);
        expect(answer).not.toMatch(/keyHash|key_hash/);
      }
    }
    const viewer = createCaller(asUser(w, "viewer"));
    expect(await outcomeOf(viewer.apiKey.list({ orgId: w.orgId }))).toBe("FORBIDDEN");
  });

  it("filters by status and team", async () => {
    const bound = await owner().apiKey.create({ orgId: w.orgId, name: name("Bound"), scopes: ["usage:write"], teamId: w.siblingTeamId });
    const revoked = await owner().apiKey.create({ orgId: w.orgId, name: name("Gone"), scopes: ["usage:write"] });
    await owner().apiKey.revoke({ orgId: w.orgId, apiKeyId: revoked.apiKey.id });
    const byTeam = await owner().apiKey.list({ orgId: w.orgId, teamId: w.siblingTeamId, limit: 100 });
    expect(byTeam.items.map((k) => k.id)).toEqual([bound.apiKey.id]);
    expect(byTeam.items[0]?.team).toEqual({ id: w.siblingTeamId, name: "Sibling" });
    const active = await owner().apiKey.list({ orgId: w.orgId, status: "active", limit: 100 });
    expect(active.items.map((k) => k.id)).not.toContain(revoked.apiKey.id);
    const gone = await owner().apiKey.list({ orgId: w.orgId, status: "revoked", limit: 100 });
    expect(gone.items.map((k) => k.id)).toContain(revoked.apiKey.id);
  });

  it("refuses an expiry in the past and a team of another organization or none", async () => {
    expect(
      await outcomeOf(
        owner().apiKey.create({ orgId: w.orgId, name: name("Past"), scopes: ["usage:write"], expiresAt: new Date(Date.now() - 1000) }),
      ),
    ).toBe("BAD_REQUEST EXPIRY_IN_PAST");
    const foreignTeam = await testDb.db.withTenant({ orgId: w.foreignOrgId }, (tx) =>
      tx.team.create({ data: { organizationId: w.foreignOrgId, name: name("Foreign") } }),
    );
    expect(
      await outcomeOf(owner().apiKey.create({ orgId: w.orgId, name: name("X"), scopes: ["usage:write"], teamId: foreignTeam.id })),
    ).toBe("NOT_FOUND");
  });
});

describe("scopes stay within the creator's permissions", () => {
  it("an admin cannot create or widen a key to org:delete / org:transfer; nothing is stored or changed", async () => {
    const before = await inspector.value<number>("SELECT count(*)::int FROM org_api_keys WHERE organization_id = $1", [w.orgId]);
    expect(await outcomeOf(admin().apiKey.create({ orgId: w.orgId, name: name("Escalate"), scopes: ["usage:write", "org:delete"] }))).toBe(
      "FORBIDDEN SCOPES_BEYOND_OWN",
    );
    expect(await inspector.value<number>("SELECT count(*)::int FROM org_api_keys WHERE organization_id = $1", [w.orgId])).toBe(before);

    const { apiKey } = await admin().apiKey.create({ orgId: w.orgId, name: name("Narrow"), scopes: ["usage:write"] });
    expect(await outcomeOf(admin().apiKey.update({ orgId: w.orgId, apiKeyId: apiKey.id, scopes: ["org:transfer"] }))).toBe(
      "FORBIDDEN SCOPES_BEYOND_OWN",
    );
    expect((await admin().apiKey.get({ orgId: w.orgId, apiKeyId: apiKey.id })).scopes).toEqual(["usage:write"]);

    const updated = await admin().apiKey.update({
      orgId: w.orgId,
      apiKeyId: apiKey.id,
      name: "Renamed",
      scopes: ["usage:write", "budget:write"],
      rateLimitPerMinute: 7,
      monthlyQuota: 70,
    });
    expect(updated).toMatchObject({ name: "Renamed", scopes: ["usage:write", "budget:write"], rateLimitPerMinute: 7, monthlyQuota: 70 });
  });

  it("an owner's key with org:delete cannot be rotated by an admin (the new key would exceed the admin)", async () => {
    const { apiKey } = await owner().apiKey.create({ orgId: w.orgId, name: name("Owner's"), scopes: ["org:delete"] });
    expect(await outcomeOf(admin().apiKey.rotate({ orgId: w.orgId, apiKeyId: apiKey.id }))).toBe("FORBIDDEN SCOPES_BEYOND_OWN");
    expect((await keyRow(apiKey.id))?.replaced_by_id).toBeNull();
  });

  it("keys cannot create, change or rotate keys, even with every scope", async () => {
    const { key, apiKey } = await owner().apiKey.create({ orgId: w.orgId, name: name("All"), scopes: ["api_key:write", "api_key:read"] });
    const byKey = asKey(await authenticated(key));
    expect(await outcomeOf(byKey.apiKey.create({ orgId: w.orgId, name: name("Child"), scopes: ["api_key:read"] }))).toBe("FORBIDDEN");
    expect(await outcomeOf(byKey.apiKey.update({ orgId: w.orgId, apiKeyId: apiKey.id, name: "x" }))).toBe("FORBIDDEN");
    expect(await outcomeOf(byKey.apiKey.rotate({ orgId: w.orgId, apiKeyId: apiKey.id }))).toBe("FORBIDDEN");
  });
});

describe("revoke and rotate", () => {
  it("a revoked key stops authenticating at once and cannot be changed or rotated", async () => {
    const { key, apiKey } = await owner().apiKey.create({ orgId: w.orgId, name: name("Revoke me"), scopes: ["org:read"] });
    const identity = await authenticated(key);
    await asKey(identity).organization.get({ orgId: w.orgId });
    const revoked = await owner().apiKey.revoke({ orgId: w.orgId, apiKeyId: apiKey.id });
    expect(revoked.status).toBe("revoked");
    expect(await authenticateApiKey(w.db, key)).toBeNull();
    expect(await outcomeOf(owner().apiKey.revoke({ orgId: w.orgId, apiKeyId: apiKey.id }))).toBe("PRECONDITION_FAILED KEY_NOT_ACTIVE");
    expect(await outcomeOf(owner().apiKey.update({ orgId: w.orgId, apiKeyId: apiKey.id, name: "x" }))).toBe(
      "PRECONDITION_FAILED KEY_NOT_ACTIVE",
    );
    expect(await outcomeOf(owner().apiKey.rotate({ orgId: w.orgId, apiKeyId: apiKey.id }))).toBe("PRECONDITION_FAILED KEY_NOT_ACTIVE");
  });

  it("both keys work during the grace period, the old one not after it; the new one inherits fields and counters", async () => {
    const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    const created = await owner().apiKey.create({
      orgId: w.orgId,
      name: name("Rotating"),
      scopes: ["usage:write", "team:read"],
      teamId: w.targetTeamId,
      rateLimitPerMinute: 11,
      monthlyQuota: 1_100,
      allowedModels: ["claude"],
      expiresAt,
      environment: "test",
    });
    const lastUsed = new Date(Date.now() - 5 * 60_000);
    await inspector.rows("UPDATE org_api_keys SET last_used_at = $2 WHERE id = $1", [created.apiKey.id, lastUsed]);

    const rotated = await admin().apiKey.rotate({ orgId: w.orgId, apiKeyId: created.apiKey.id, gracePeriodSeconds: 3600 });
    expect(rotated.key).not.toBe(created.key);
    expect(rotated.key).toMatch(/^aih_test_/);
    expect(rotated.apiKey).toMatchObject({
      name: created.apiKey.name,
      scopes: ["usage:write", "team:read"],
      team: { id: w.targetTeamId },
      rateLimitPerMinute: 11,
      monthlyQuota: 1_100,
      allowedModels: ["claude"],
      expiresAt,
      lastUsedAt: lastUsed,
      status: "active",
      rotatedFromId: created.apiKey.id,
      createdById: w.users.admin.userId,
    });
    expect(rotated.previous).toMatchObject({ id: created.apiKey.id, status: "active", replacedById: rotated.apiKey.id });
    const graceEnd = rotated.previous.expiresAt?.getTime() ?? 0;
    expect(Math.abs(graceEnd - (Date.now() + 3600_000))).toBeLessThan(60_000);
    expect((await keyRow(rotated.apiKey.id))?.counter_id).toBe(created.apiKey.id);

    const oldIdentity = await authenticated(created.key);
    const newIdentity = await authenticated(rotated.key);
    for (const identity of [oldIdentity, newIdentity]) expect(await outcomeOf(asKey(identity).team.list({ orgId: w.orgId }))).toBe("ok");
    expect(await outcomeOf(admin().apiKey.rotate({ orgId: w.orgId, apiKeyId: created.apiKey.id }))).toBe(
      "PRECONDITION_FAILED KEY_ALREADY_ROTATED",
    );

    // The grace period ends.
    await inspector.rows("UPDATE org_api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [created.apiKey.id]);
    expect(await authenticateApiKey(w.db, created.key)).toBeNull();
    expect(await authenticated(rotated.key)).toMatchObject({ apiKeyId: rotated.apiKey.id, teamId: w.targetTeamId });
    expect((await admin().apiKey.get({ orgId: w.orgId, apiKeyId: created.apiKey.id })).status).toBe("expired");
  });

  it("a grace of zero ends the old key at once; more than seven days is refused", async () => {
    const created = await owner().apiKey.create({ orgId: w.orgId, name: name("Now"), scopes: ["org:read"] });
    expect(await outcomeOf(owner().apiKey.rotate({ orgId: w.orgId, apiKeyId: created.apiKey.id, gracePeriodSeconds: 8 * 24 * 3600 }))).toBe(
      "BAD_REQUEST",
    );
    const rotated = await owner().apiKey.rotate({ orgId: w.orgId, apiKeyId: created.apiKey.id, gracePeriodSeconds: 0 });
    expect(await authenticateApiKey(w.db, created.key)).toBeNull();
    expect(await authenticated(rotated.key)).toMatchObject({ apiKeyId: rotated.apiKey.id });
  });
});

describe("keys belong to the organization", () => {
  it("a key survives the removal of its creator and still shows who created it", async () => {
    const creator = await addMember(w, "admin");
    const { key, apiKey } = await createCaller(contextFor(w, { kind: "user", userId: creator.userId })).apiKey.create({
      orgId: w.orgId,
      name: name("Orphan"),
      scopes: ["org:read"],
    });
    await owner().member.remove({ orgId: w.orgId, memberId: creator.memberId });
    const identity = await authenticated(key);
    expect(await outcomeOf(asKey(identity).organization.get({ orgId: w.orgId }))).toBe("ok");
    expect(await owner().apiKey.get({ orgId: w.orgId, apiKeyId: apiKey.id })).toMatchObject({
      status: "active",
      createdById: creator.userId,
      creator: null,
    });
    await owner().apiKey.revoke({ orgId: w.orgId, apiKeyId: apiKey.id });
    expect(await authenticateApiKey(w.db, key)).toBeNull();
  });
});

describe("team-bound keys", () => {
  const SCOPES = ["team:read", "team:create", "team:update", "team:manage_members", "team:delete", "org:update", "usage:write"] as const;

  it("act on their team and the teams below it, not on a sibling, an unrelated team or the organization", async () => {
    const { key } = await owner().apiKey.create({ orgId: w.orgId, name: name("Parent's"), scopes: [...SCOPES], teamId: w.parentTeamId });
    const identity = await authenticated(key);
    expect(identity).toMatchObject({ teamId: w.parentTeamId });
    const byKey = asKey(identity);
    // Its subtree.
    expect(await outcomeOf(byKey.team.update({ orgId: w.orgId, teamId: w.parentTeamId, description: "by key" }))).toBe("ok");
    expect(await outcomeOf(byKey.team.update({ orgId: w.orgId, teamId: w.targetTeamId, description: "by key" }))).toBe("ok");
    const sub = await byKey.team.create({ orgId: w.orgId, name: name("Sub"), parentTeamId: w.targetTeamId });
    expect(sub.parentTeamId).toBe(w.targetTeamId);
    // Reads stay organization-wide.
    expect(await outcomeOf(byKey.team.list({ orgId: w.orgId }))).toBe("ok");
    // Outside its subtree, and organization-wide changes.
    expect(await outcomeOf(byKey.team.update({ orgId: w.orgId, teamId: w.unrelatedTeamId, description: "by key" }))).toBe("FORBIDDEN");
    expect(await outcomeOf(byKey.team.create({ orgId: w.orgId, name: name("Top") }))).toBe("FORBIDDEN");
    expect(await outcomeOf(byKey.organization.update({ orgId: w.orgId, description: "by key" }))).toBe("FORBIDDEN");
    expect(await outcomeOf(byKey.team.delete({ orgId: w.orgId, teamId: sub.id }))).toBe("FORBIDDEN");
    expect(await outcomeOf(byKey.team.move({ orgId: w.orgId, teamId: sub.id, newParentTeamId: w.unrelatedTeamId }))).toBe(
      "FORBIDDEN MOVE_OUTSIDE_LED_TEAMS",
    );
    expect(await inspector.value("SELECT parent_team_id FROM teams WHERE id = $1", [sub.id])).toBe(w.targetTeamId);
    expect(await inspector.value("SELECT description FROM teams WHERE id = $1", [w.unrelatedTeamId])).not.toBe("by key");
  });

  it("a key bound to the target team is refused on its sibling and its parent", async () => {
    const { key } = await owner().apiKey.create({ orgId: w.orgId, name: name("Target's"), scopes: [...SCOPES], teamId: w.targetTeamId });
    const byKey = asKey(await authenticated(key));
    expect(await outcomeOf(byKey.team.update({ orgId: w.orgId, teamId: w.targetTeamId, description: "target by key" }))).toBe("ok");
    expect(await outcomeOf(byKey.team.update({ orgId: w.orgId, teamId: w.siblingTeamId, description: "by key" }))).toBe("FORBIDDEN");
    expect(await outcomeOf(byKey.team.update({ orgId: w.orgId, teamId: w.parentTeamId, description: "by key" }))).toBe("FORBIDDEN");
    const member = await addMember(w, "member");
    expect(await outcomeOf(byKey.team.addMember({ orgId: w.orgId, teamId: w.siblingTeamId, memberId: member.memberId }))).toBe("FORBIDDEN");
    expect(await outcomeOf(byKey.team.addMember({ orgId: w.orgId, teamId: w.targetTeamId, memberId: member.memberId }))).toBe("ok");
  });

  it("explain names the binding", async () => {
    const { apiKey } = await owner().apiKey.create({
      orgId: w.orgId,
      name: name("Explained"),
      scopes: [...SCOPES],
      teamId: w.targetTeamId,
    });
    const explained = await owner().permission.explain({
      orgId: w.orgId,
      subject: { apiKeyId: apiKey.id },
      permission: "team:update",
      teamId: w.siblingTeamId,
    });
    expect(explained).toEqual({
      permission: "team:update",
      allowed: false,
      reasons: [
        { kind: "scope", grants: true },
        { kind: "key_team", teamId: w.targetTeamId, grants: false },
      ],
    });
  });

  it("deleting the team revokes its keys (and those of its sub-teams), audited; they never become organization-wide", async () => {
    const doomed = await owner().team.create({ orgId: w.orgId, name: name("Doomed"), parentTeamId: w.unrelatedTeamId });
    const below = await owner().team.create({ orgId: w.orgId, name: name("Below"), parentTeamId: doomed.id });
    const onTeam = await owner().apiKey.create({ orgId: w.orgId, name: name("On team"), scopes: ["usage:write"], teamId: doomed.id });
    const onSub = await owner().apiKey.create({ orgId: w.orgId, name: name("On sub"), scopes: ["usage:write"], teamId: below.id });
    const elsewhere = await owner().apiKey.create({
      orgId: w.orgId,
      name: name("Elsewhere"),
      scopes: ["usage:write"],
      teamId: w.unrelatedTeamId,
    });
    await authenticated(onTeam.key);

    await owner().team.delete({ orgId: w.orgId, teamId: doomed.id, cascade: true });
    for (const { key, apiKey } of [onTeam, onSub]) {
      expect(await authenticateApiKey(w.db, key)).toBeNull();
      expect(await keyRow(apiKey.id)).toMatchObject({ status: "revoked" });
      expect(await auditOf(apiKey.id)).toContainEqual(
        expect.objectContaining({
          action: "api_key.revoked",
          actor_id: w.users.owner.userId,
          after: expect.objectContaining({ reason: "team_deleted" }),
        }),
      );
    }
    expect(await authenticated(elsewhere.key)).toMatchObject({ teamId: w.unrelatedTeamId });
  });

  it("deleting a team outside the product (a superuser) revokes its keys too", async () => {
    const team = await owner().team.create({ orgId: w.orgId, name: name("Raw") });
    const { key, apiKey } = await owner().apiKey.create({
      orgId: w.orgId,
      name: name("Raw key"),
      scopes: ["usage:write"],
      teamId: team.id,
    });
    await inspector.rows("DELETE FROM teams WHERE id = $1", [team.id]);
    expect(await keyRow(apiKey.id)).toMatchObject({ status: "revoked", team_id: null });
    expect(await authenticateApiKey(w.db, key)).toBeNull();
  });
});

describe("the audit trail", () => {
  it("records each change by its actor and never holds the key or its hash", async () => {
    const created = await owner().apiKey.create({ orgId: w.orgId, name: name("Audited"), scopes: ["usage:write"] });
    await owner().apiKey.update({ orgId: w.orgId, apiKeyId: created.apiKey.id, rateLimitPerMinute: 9 });
    const rotated = await owner().apiKey.rotate({ orgId: w.orgId, apiKeyId: created.apiKey.id, gracePeriodSeconds: 60 });
    const { key: byKeyKey } = await owner().apiKey.create({ orgId: w.orgId, name: name("Revoker"), scopes: ["api_key:write"] });
    const revoker = await authenticated(byKeyKey);
    await asKey(revoker).apiKey.revoke({ orgId: w.orgId, apiKeyId: rotated.apiKey.id });

    const onOld = await auditOf(created.apiKey.id);
    expect(onOld.map((e) => e.action)).toEqual(["api_key.created", "api_key.updated", "api_key.rotated"]);
    expect(onOld[1]).toMatchObject({ before: { rateLimitPerMinute: 100 }, after: { rateLimitPerMinute: 9 } });
    expect(onOld[2]).toMatchObject({ after: { replacedById: rotated.apiKey.id } });
    const onNew = await auditOf(rotated.apiKey.id);
    expect(onNew.map((e) => [e.action, e.actor_id])).toEqual([
      ["api_key.created", w.users.owner.userId],
      ["api_key.revoked", revoker.kind === "api_key" ? revoker.apiKeyId : null],
    ]);

    const trail = await inspector.value<string>(
      "SELECT coalesce(string_agg(row_to_json(a)::text, E'\\n'), '') FROM audit_events a WHERE organization_id = $1",
      [w.orgId],
    );
    expect(trail).toContain(created.apiKey.id);
    for (const key of [created.key, rotated.key, byKeyKey]) {
      expect(trail).not.toContain(key);
      expect(trail).not.toContain(key.slice(16));
      expect(trail).not.toContain(hashApiKey(key));
    }
  });
});
