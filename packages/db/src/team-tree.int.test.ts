import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createTeam } from "./testing/factories.js";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.js";

// The database itself keeps teams a tree of at most five levels within one organization.
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

describe("team tree constraints", () => {
  it("refuses a sixth level, a cycle, a parent in another org and a duplicate sibling name", async () => {
    const { db } = testDb;
    const { org } = await createOrg(db);
    const chain = [await createTeam(db, { orgId: org.id, name: "L1" })];
    for (let level = 2; level <= 5; level++) {
      chain.push(await createTeam(db, { orgId: org.id, name: `L${level}`, parentTeamId: chain.at(-1)?.id }));
    }
    const [l1, l2, , , l5] = chain;
    await expect(createTeam(db, { orgId: org.id, name: "L6", parentTeamId: l5?.id })).rejects.toThrow(/at most 5/);

    const scoped = db.forTenant({ orgId: org.id });
    await expect(scoped.team.update({ where: { id: l1?.id }, data: { parentTeamId: l5?.id } })).rejects.toThrow(/own descendant/);

    // L2 heads a four-level subtree: under a second-level team it would reach six levels,
    // under a top-level team exactly five.
    const side = await createTeam(db, { orgId: org.id, name: "side" });
    const sideChild = await createTeam(db, { orgId: org.id, name: "side child", parentTeamId: side.id });
    await expect(scoped.team.update({ where: { id: l2?.id }, data: { parentTeamId: sideChild.id } })).rejects.toThrow(/at most 5/);
    await expect(scoped.team.update({ where: { id: l2?.id }, data: { parentTeamId: side.id } })).resolves.toMatchObject({
      parentTeamId: side.id,
    });

    const other = await createOrg(db);
    await expect(createTeam(db, { orgId: other.org.id, name: "stray", parentTeamId: l1?.id })).rejects.toThrow();

    await expect(createTeam(db, { orgId: org.id, name: "L1" })).rejects.toThrow(/Unique constraint/);
    await expect(createTeam(db, { orgId: org.id, name: "L2", parentTeamId: l1?.id })).resolves.toBeTruthy();
  });

  it("serializes concurrent moves so they cannot build a cycle together", async () => {
    const { db } = testDb;
    const { org } = await createOrg(db);
    const x = await createTeam(db, { orgId: org.id, name: "X" });
    const y = await createTeam(db, { orgId: org.id, name: "Y" });
    const scoped = db.forTenant({ orgId: org.id });
    const outcomes = await Promise.allSettled([
      scoped.team.update({ where: { id: x.id }, data: { parentTeamId: y.id } }),
      scoped.team.update({ where: { id: y.id }, data: { parentTeamId: x.id } }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const teams = await scoped.team.findMany({ where: { id: { in: [x.id, y.id] } } });
    expect(teams.filter((t) => t.parentTeamId !== null)).toHaveLength(1);
  });
});
