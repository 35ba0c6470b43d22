import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createTeam, createUser } from "./testing/factories.js";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.js";

/**
 * The database's own invariants (an organization keeps an owner; teams stay a tree of at
 * most five levels) must hold at every isolation level, not only the READ COMMITTED the app
 * uses. Each case runs two real transactions in a fixed order: T1 makes its change, T2 makes
 * the crossing change (and must wait for T1), T1 commits, T2 finishes and tries to commit. Exactly
 * one may succeed, and the state afterwards must satisfy the invariant.
 */
const LEVELS = ["READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"] as const;
type Level = (typeof LEVELS)[number];

const SERIALIZATION_FAILURE = "40001";
const CHECK_VIOLATION = "23514"; // members_last_owner
const INTEGRITY_VIOLATION = "23000"; // teams_no_cycle, teams_max_depth

let testDb: TestDatabase;
let admin: pg.Client;
const open: pg.Client[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await Promise.all(open.splice(0).map((c) => c.end().catch(() => {})));
  await admin.end();
  await testDb.drop();
});

interface Session {
  client: pg.Client;
  pid: number;
}

/** A transaction at `level`: as the app role in the org's tenant context, or with no context at all. */
async function begin(level: Level, as: { app: { orgId: string } } | "superuser"): Promise<Session> {
  const client = new pg.Client({ connectionString: as === "superuser" ? testDb.adminUrl : testDb.appUrl });
  open.push(client);
  await client.connect();
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  await client.query(`BEGIN ISOLATION LEVEL ${level}`);
  // The first statement takes the snapshot (at REPEATABLE READ and SERIALIZABLE, the one
  // for the whole transaction): both transactions start before either changes anything.
  await client.query("SELECT set_config('app.current_org_id', $1, true)", [as === "superuser" ? "" : as.app.orgId]);
  return { client, pid: rows[0]?.pid as number };
}

type Outcome = { ok: true } | { ok: false; code: string; message: string };

async function attempt(work: Promise<unknown>): Promise<Outcome> {
  try {
    await work;
    return { ok: true };
  } catch (error) {
    const e = error as { code?: string; message: string };
    return { ok: false, code: e.code ?? "", message: e.message };
  }
}

/** Resolves once `pid` waits for a lock, or once `pending` settles (a statement that did not block). */
async function blockedOrDone(pid: number, pending: Promise<unknown>): Promise<"blocked" | "done"> {
  let settled = false;
  void pending.finally(() => {
    settled = true;
  });
  for (let i = 0; i < 200; i++) {
    if (settled) return "done";
    const { rows } = await admin.query<{ n: number }>("SELECT cardinality(pg_blocking_pids($1))::int AS n", [pid]);
    if ((rows[0]?.n ?? 0) > 0) return "blocked";
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`session ${pid} neither blocked nor finished`);
}

/**
 * T1 runs `first` and commits; T2 runs `second` in between (it must wait for T1) and then
 * commits. Returns both outcomes after both sessions ended.
 */
async function cross(
  t1: Session,
  t2: Session,
  first: (c: pg.Client) => Promise<unknown>,
  second: (c: pg.Client) => Promise<unknown>,
): Promise<{ t1: Outcome; t2: Outcome }> {
  const firstOutcome = await attempt(first(t1.client));
  expect(firstOutcome, "T1's own change goes through").toEqual({ ok: true });
  const pending = attempt(second(t2.client));
  // The second change waits for the first: the triggers lock what the first one changed.
  expect(await blockedOrDone(t2.pid, pending), "T2 waits for T1").toBe("blocked");
  const t1Commit = await attempt(t1.client.query("COMMIT"));
  const t2Change = await pending;
  const t2Commit = t2Change.ok ? await attempt(t2.client.query("COMMIT")) : t2Change;
  if (!t2Change.ok) await t2.client.query("ROLLBACK");
  if (!t1Commit.ok) await t1.client.query("ROLLBACK").catch(() => {});
  await Promise.all([t1.client.end(), t2.client.end()]);
  return { t1: t1Commit, t2: t2Commit };
}

/** Exactly one transaction committed; the loser failed for an acceptable reason at this level. */
function expectOneWinner(result: { t1: Outcome; t2: Outcome }, level: Level, invariantCode: string) {
  expect(result.t1).toEqual({ ok: true });
  expect(result.t2.ok, "the second transaction must not commit").toBe(false);
  // READ COMMITTED re-reads after the wait and refuses; the snapshot levels cannot re-read,
  // so they fail the transaction for the client to retry.
  const expected = level === "READ COMMITTED" ? invariantCode : SERIALIZATION_FAILURE;
  if (!result.t2.ok) expect(result.t2.code, result.t2.message).toBe(expected);
}

async function ownersOf(orgId: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM members WHERE organization_id = $1 AND role = 'owner'",
    [orgId],
  );
  return rows[0]?.n ?? 0;
}

/** Every team's depth, walking up; a cycle shows as a depth past the bound. */
async function deepestTeam(orgId: string): Promise<number> {
  const { rows } = await admin.query<{ depth: number }>(
    `WITH RECURSIVE up(start, id, depth) AS (
       SELECT id, parent_team_id, 1 FROM teams WHERE organization_id = $1
       UNION ALL
       SELECT up.start, t.parent_team_id, up.depth + 1 FROM up JOIN teams t ON t.id = up.id WHERE up.depth < 20
     ) SELECT coalesce(max(depth), 0)::int AS depth FROM up`,
    [orgId],
  );
  return rows[0]?.depth ?? 0;
}

async function twoOwners() {
  const { org, members } = await createOrg(testDb.db, { members: [{ role: "owner" }] });
  const [a, b] = members;
  if (!a || !b) throw new Error("two owners expected");
  return { orgId: org.id, a, b };
}

describe.each(LEVELS)("at %s", (level) => {
  it("two concurrent demotions of the last two owners: one commits, the org keeps an owner", async () => {
    const { orgId, a, b } = await twoOwners();
    const as = { app: { orgId } };
    const result = await cross(
      await begin(level, as),
      await begin(level, as),
      (c) => c.query("UPDATE members SET role = 'admin' WHERE id = $1", [a.member.id]),
      (c) => c.query("UPDATE members SET role = 'admin' WHERE id = $1", [b.member.id]),
    );
    expectOneWinner(result, level, CHECK_VIOLATION);
    expect(await ownersOf(orgId)).toBe(1);
  });

  it("two concurrent deletions of the last two owners' member rows, with no tenant context: one commits", async () => {
    const { orgId, a, b } = await twoOwners();
    const result = await cross(
      await begin(level, "superuser"),
      await begin(level, "superuser"),
      (c) => c.query("DELETE FROM members WHERE id = $1", [a.member.id]),
      (c) => c.query("DELETE FROM members WHERE id = $1", [b.member.id]),
    );
    expectOneWinner(result, level, CHECK_VIOLATION);
    expect(await ownersOf(orgId)).toBe(1);
  });

  it("two concurrent deletions of the last two owners' accounts (cascading, app role, no tenant context): one commits", async () => {
    const { orgId, a, b } = await twoOwners();
    const noContext = { app: { orgId: "" } };
    const result = await cross(
      await begin(level, noContext),
      await begin(level, noContext),
      (c) => c.query("DELETE FROM users WHERE id = $1", [a.user.id]),
      (c) => c.query("DELETE FROM users WHERE id = $1", [b.user.id]),
    );
    expectOneWinner(result, level, CHECK_VIOLATION);
    expect(await ownersOf(orgId)).toBe(1);
  });

  it("two crossing moves (A under B, B under A) cannot build a cycle", async () => {
    const { org } = await createOrg(testDb.db);
    const teamA = await createTeam(testDb.db, { orgId: org.id, name: "A" });
    const teamB = await createTeam(testDb.db, { orgId: org.id, name: "B" });
    const as = { app: { orgId: org.id } };
    const result = await cross(
      await begin(level, as),
      await begin(level, as),
      (c) => c.query("UPDATE teams SET parent_team_id = $2 WHERE id = $1", [teamA.id, teamB.id]),
      (c) => c.query("UPDATE teams SET parent_team_id = $2 WHERE id = $1", [teamB.id, teamA.id]),
    );
    expectOneWinner(result, level, INTEGRITY_VIOLATION);
    expect(await deepestTeam(org.id)).toBe(2);
  });

  it("a deeper cross (A under B's child, B under A's child) cannot build a cycle", async () => {
    const { org } = await createOrg(testDb.db);
    const teamA = await createTeam(testDb.db, { orgId: org.id, name: "A" });
    const childA = await createTeam(testDb.db, { orgId: org.id, name: "A child", parentTeamId: teamA.id });
    const teamB = await createTeam(testDb.db, { orgId: org.id, name: "B" });
    const childB = await createTeam(testDb.db, { orgId: org.id, name: "B child", parentTeamId: teamB.id });
    const as = { app: { orgId: org.id } };
    const result = await cross(
      await begin(level, as),
      await begin(level, as),
      (c) => c.query("UPDATE teams SET parent_team_id = $2 WHERE id = $1", [teamA.id, childB.id]),
      (c) => c.query("UPDATE teams SET parent_team_id = $2 WHERE id = $1", [teamB.id, childA.id]),
    );
    expectOneWinner(result, level, INTEGRITY_VIOLATION);
    expect(await deepestTeam(org.id)).toBe(4);
  });

  it("a new sub-team and a concurrent move of its branch cannot together exceed five levels", async () => {
    // L1 > L2 > L3 (three levels) and X > X2. T1 adds L4 under L3; T2 moves L1 under X2.
    // Each alone gives five levels; both together would give six.
    const { org } = await createOrg(testDb.db);
    const l1 = await createTeam(testDb.db, { orgId: org.id, name: "L1" });
    const l2 = await createTeam(testDb.db, { orgId: org.id, name: "L2", parentTeamId: l1.id });
    const l3 = await createTeam(testDb.db, { orgId: org.id, name: "L3", parentTeamId: l2.id });
    const x = await createTeam(testDb.db, { orgId: org.id, name: "X" });
    const x2 = await createTeam(testDb.db, { orgId: org.id, name: "X2", parentTeamId: x.id });
    const as = { app: { orgId: org.id } };
    const result = await cross(
      await begin(level, as),
      await begin(level, as),
      (c) => c.query("INSERT INTO teams (organization_id, name, parent_team_id) VALUES ($1, 'L4', $2)", [org.id, l3.id]),
      (c) => c.query("UPDATE teams SET parent_team_id = $2 WHERE id = $1", [l1.id, x2.id]),
    );
    expectOneWinner(result, level, INTEGRITY_VIOLATION);
    expect(await deepestTeam(org.id)).toBeLessThanOrEqual(5);
  });
});

describe("with no tenant context", () => {
  it("refuses to delete the only owner's member row, as a superuser or by deleting the owner's account", async () => {
    const { org, owner } = await createOrg(testDb.db, { members: [{ role: "admin" }] });
    await expect(admin.query("DELETE FROM members WHERE id = $1", [owner.member.id])).rejects.toThrow(/would have no owner/);
    await expect(admin.query("UPDATE members SET role = 'admin' WHERE id = $1", [owner.member.id])).rejects.toThrow(/would have no owner/);
    const app = new pg.Client({ connectionString: testDb.appUrl });
    await app.connect();
    try {
      await expect(app.query("DELETE FROM users WHERE id = $1", [owner.user.id])).rejects.toThrow(/would have no owner/);
    } finally {
      await app.end();
    }
    expect(await ownersOf(org.id)).toBe(1);
    // Deleting the organization itself takes its owners with it.
    await admin.query("DELETE FROM organizations WHERE id = $1", [org.id]);
    expect(await ownersOf(org.id)).toBe(0);
  });

  it("lets an owner go once another owner exists", async () => {
    const { org, owner } = await createOrg(testDb.db);
    const other = await createUser(testDb.db);
    await admin.query("INSERT INTO members (organization_id, user_id, role) VALUES ($1, $2, 'owner')", [org.id, other.id]);
    await admin.query("DELETE FROM members WHERE id = $1", [owner.member.id]);
    expect(await ownersOf(org.id)).toBe(1);
  });
});
