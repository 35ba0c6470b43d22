import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { createMemoryStore } from "./store/index.js";
import { asUser, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * `permission.explainAll`: a member's effective permissions, each allowed or not with its
 * reasons. Expected answers below are written from the role table in docs/authorization.md,
 * not computed by the code under test.
 */
let testDb: TestDatabase;
let w: World;
beforeAll(async () => {
  testDb = await createTestDatabase();
  w = await createWorld(testDb.db, createMemoryStore());
});
afterAll(async () => {
  await testDb?.drop();
});

const allowedOf = (answer: { permissions: { permission: string; allowed: boolean }[] }) =>
  answer.permissions.filter((p) => p.allowed).map((p) => p.permission);

async function code(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "ok";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("permission.explainAll", () => {
  it("a viewer sees their own: read-only permissions allowed, every other permission listed as refused with the role as reason", async () => {
    const answer = await createCaller(asUser(w, "viewer")).permission.explainAll({ orgId: w.orgId });
    expect(answer.userId).toBe(w.users.viewer.userId);
    expect(answer.role).toBe("viewer");
    expect(answer.permissions).toHaveLength(21); // the whole catalogue
    expect(allowedOf(answer).sort()).toEqual(["budget:read", "member:read", "org:read", "team:read", "usage:read"].sort());
    const refused = answer.permissions.find((p) => p.permission === "team:delete");
    expect(refused).toMatchObject({ allowed: false, reasons: [{ kind: "role", role: "viewer", grants: false }] });
    expect(answer.permissions.find((p) => p.permission === "org:read")?.description).toMatch(/organization/i);
  });

  it("an admin sees anyone's; a team lead's team-scoped permissions count only for their team's subtree", async () => {
    const admin = createCaller(asUser(w, "admin"));
    const orgWide = await admin.permission.explainAll({ orgId: w.orgId, userId: w.users.targetLead.userId });
    expect(orgWide.role).toBe("member");
    expect(allowedOf(orgWide)).not.toContain("team:manage_members");
    const onTheirTeam = await admin.permission.explainAll({ orgId: w.orgId, userId: w.users.targetLead.userId, teamId: w.targetTeamId });
    const manage = onTheirTeam.permissions.find((p) => p.permission === "team:manage_members");
    expect(manage?.allowed).toBe(true);
    expect(manage?.reasons).toContainEqual({ kind: "team_lead", teamId: w.targetTeamId, viaTeamId: w.parentTeamId });
    // Not team-scoped: leading a team does not give it.
    expect(onTheirTeam.permissions.find((p) => p.permission === "team:delete")?.allowed).toBe(false);
  });

  it("a member asking about someone else is refused; about an unknown person or team, not found; API keys cannot ask", async () => {
    expect(await code(createCaller(asUser(w, "member")).permission.explainAll({ orgId: w.orgId, userId: w.users.admin.userId }))).toBe(
      "FORBIDDEN",
    );
    expect(await code(createCaller(asUser(w, "member")).permission.explainAll({ orgId: w.orgId, userId: w.users.member.userId }))).toBe(
      "ok",
    );
    expect(
      await code(createCaller(asUser(w, "admin")).permission.explainAll({ orgId: w.orgId, userId: w.users.foreignOwner.userId })),
    ).toBe("NOT_FOUND");
    expect(
      await code(
        createCaller(asUser(w, "admin")).permission.explainAll({ orgId: w.orgId, teamId: "00000000-0000-4000-8000-000000000000" }),
      ),
    ).toBe("NOT_FOUND");
    expect(await code(createCaller(asUser(w, "nonMember")).permission.explainAll({ orgId: w.orgId }))).toBe("NOT_FOUND");
    const key = contextFor(w, {
      kind: "api_key",
      apiKeyId: "00000000-0000-4000-8000-000000000001",
      orgId: w.orgId,
      teamId: null,
      scopes: ["org:read"],
    });
    expect(await code(createCaller(key).permission.explainAll({ orgId: w.orgId }))).not.toBe("ok");
  });
});
