import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createTeam, createTestDatabase, createUser, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Permission } from "./rbac/permissions.js";
import { createCaller } from "./root.js";
import { invalidateTeamTree, loadMemberAccess } from "./services/access/member-access.js";
import { issueApiKey } from "./services/api-keys/issue-api-key.js";
import { createMemoryStore } from "./store/index.js";
import { createInspector, type Inspector } from "./testing/inspector.js";
import { addMember, addTeamUnderTarget, asUser, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * The refusals of each guard, with what must NOT have happened checked in the database:
 * key scopes beyond the issuer's, dead invitations, resending above one's own role, an
 * ownership transfer racing the transferring owner's demotion, and team moves into subtrees
 * the mover does not lead.
 */
let testDb: TestDatabase;
let world: World;
let db: Inspector;
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
  db = await createInspector(testDb.adminUrl);
});
afterAll(async () => {
  await db?.close();
  await testDb.drop();
});

const as = (w: World, userId: string) => createCaller(contextFor(w, { kind: "user", userId }));
const auditCount = (orgId: string) => db.value<number>("SELECT count(*)::int FROM audit_events WHERE organization_id = $1", [orgId]);
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("issuing an API key", () => {
  const keyCount = () => db.value<number>("SELECT count(*)::int FROM org_api_keys WHERE organization_id = $1", [world.orgId]);
  async function issueAs(userId: string, scopes: Permission[]) {
    const access = await loadMemberAccess(world, world.orgId, userId);
    if (!access) throw new Error("not a member");
    return issueApiKey(world.db, { userId, access }, { orgId: world.orgId, name: `key ${randomUUID()}`, scopes });
  }

  it("refuses scopes beyond the issuer's own, and stores nothing", async () => {
    const cases: [string, string, Permission[]][] = [
      ["a member", world.users.member.userId, ["usage:write", "api_key:write"]],
      ["a viewer", world.users.viewer.userId, ["usage:write"]],
      ["an admin", world.users.admin.userId, ["org:delete"]],
      ["an admin", world.users.admin.userId, ["org:transfer"]],
      // Leading a team gives team rights on that team only, never organization-wide ones a key would carry.
      ["a team lead", world.users.directLead.userId, ["team:update"]],
      ["a team lead", world.users.targetLead.userId, ["team:manage_members"]],
    ];
    for (const [who, userId, scopes] of cases) {
      const before = await keyCount();
      await expect(issueAs(userId, scopes), `${who} asking for ${scopes.join(" ")}`).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await keyCount()).toBe(before);
    }
  });

  it("refuses a scope the issuer's role grants but a deny takes away", async () => {
    const admin = await addMember(world, "admin");
    await world.db.withTenant({ orgId: world.orgId }, (tx) =>
      tx.memberPermissionOverride.create({
        data: { organizationId: world.orgId, memberId: admin.memberId, permission: "budget:write", effect: "deny" },
      }),
    );
    const before = await keyCount();
    await expect(issueAs(admin.userId, ["budget:read", "budget:write"])).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await keyCount()).toBe(before);
  });

  it("issues within the issuer's own permissions (the control)", async () => {
    const before = await keyCount();
    await issueAs(world.users.member.userId, ["usage:write", "budget:read"]);
    await issueAs(world.users.admin.userId, ["api_key:write", "member:invite"]);
    expect(await keyCount()).toBe((before ?? 0) + 2);
  });
});

describe("accepting an invitation", () => {
  /** A pending invitation from the world's owner to a fresh verified user, with its token. */
  async function invite(role: "member" | "viewer" | "owner" = "member") {
    const invitee = await createUser(world.db);
    const token = randomBytes(32).toString("base64url");
    const invitation = await world.db.withTenant({ orgId: world.orgId }, (tx) =>
      tx.invitation.create({
        data: { organizationId: world.orgId, email: invitee.email, role, tokenHash: sha256(token), invitedById: world.users.owner.userId },
      }),
    );
    return { invitee, token, invitationId: invitation.id };
  }
  const isMember = (userId: string) =>
    db.value<number>("SELECT count(*)::int FROM members WHERE organization_id = $1 AND user_id = $2", [world.orgId, userId]);
  const invitationRow = (id: string) =>
    db.rows("SELECT token_hash, expires_at, accepted_at, revoked_at FROM invitations WHERE id = $1", [id]);

  async function expectDead(invitation: Awaited<ReturnType<typeof invite>>) {
    const row = await invitationRow(invitation.invitationId);
    const audit = await auditCount(world.orgId);
    await expect(as(world, invitation.invitee.id).invitation.accept({ token: invitation.token })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await isMember(invitation.invitee.id)).toBe(0);
    expect(await invitationRow(invitation.invitationId)).toEqual(row);
    expect(await auditCount(world.orgId)).toBe(audit);
  }

  it("accepts a pending one (the control)", async () => {
    const invitation = await invite();
    await as(world, invitation.invitee.id).invitation.accept({ token: invitation.token });
    expect(await isMember(invitation.invitee.id)).toBe(1);
  });

  it("refuses a revoked one", async () => {
    const invitation = await invite();
    await createCaller(asUser(world, "owner")).invitation.revoke({ orgId: world.orgId, invitationId: invitation.invitationId });
    await expectDead(invitation);
  });

  it("refuses an expired one", async () => {
    const invitation = await invite();
    await db.rows("UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1", [invitation.invitationId]);
    await expectDead(invitation);
  });

  it("refuses one already accepted, even after the invitee left again", async () => {
    const invitation = await invite();
    const caller = as(world, invitation.invitee.id);
    await caller.invitation.accept({ token: invitation.token });
    await expect(caller.invitation.accept({ token: invitation.token })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await caller.member.leave({ orgId: world.orgId });
    await expectDead(invitation);
  });

  it("refuses the old link once the invitation was resent", async () => {
    const invitation = await invite();
    await createCaller(asUser(world, "owner")).invitation.resend({ orgId: world.orgId, invitationId: invitation.invitationId });
    await expectDead(invitation);
  });
});

describe("managing invitations", () => {
  const outboxTo = (email: string) => db.value<number>("SELECT count(*)::int FROM email_outbox WHERE to_email = $1", [email]);
  async function pending(role: "owner" | "admin" | "member") {
    const email = `pending-${randomUUID()}@example.test`;
    const invitation = await world.db.withTenant({ orgId: world.orgId }, (tx) =>
      tx.invitation.create({
        data: { organizationId: world.orgId, email, role, tokenHash: sha256(randomUUID()), invitedById: world.users.owner.userId },
      }),
    );
    return { email, invitationId: invitation.id };
  }
  const row = (id: string) => db.rows("SELECT token_hash, expires_at, revoked_at FROM invitations WHERE id = $1", [id]);

  it("refuses an admin resending an owner's invitation: same link, no mail, no audit event", async () => {
    const { email, invitationId } = await pending("owner");
    const before = { row: await row(invitationId), mail: await outboxTo(email), audit: await auditCount(world.orgId) };
    await expect(createCaller(asUser(world, "admin")).invitation.resend({ orgId: world.orgId, invitationId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect({ row: await row(invitationId), mail: await outboxTo(email), audit: await auditCount(world.orgId) }).toEqual(before);
  });

  it("refuses an admin inviting an owner: nothing stored or mailed", async () => {
    const email = `would-be-owner-${randomUUID()}@example.test`;
    const audit = await auditCount(world.orgId);
    await expect(
      createCaller(asUser(world, "admin")).invitation.create({ orgId: world.orgId, email, role: "owner" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await db.value("SELECT count(*)::int FROM invitations WHERE email = $1", [email])).toBe(0);
    expect(await outboxTo(email)).toBe(0);
    expect(await auditCount(world.orgId)).toBe(audit);
  });

  it("refuses resending or revoking one that is no longer pending", async () => {
    const owner = createCaller(asUser(world, "owner"));
    const { email, invitationId } = await pending("member");
    await owner.invitation.revoke({ orgId: world.orgId, invitationId });
    const before = { row: await row(invitationId), mail: await outboxTo(email), audit: await auditCount(world.orgId) };
    await expect(owner.invitation.resend({ orgId: world.orgId, invitationId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(owner.invitation.revoke({ orgId: world.orgId, invitationId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect({ row: await row(invitationId), mail: await outboxTo(email), audit: await auditCount(world.orgId) }).toEqual(before);
  });
});

describe("ownership transfer racing the owner's demotion", () => {
  const roleOf = (memberId: string) => db.value<string>("SELECT role::text FROM members WHERE id = $1", [memberId]);

  it("is refused when the demotion commits while the transfer waits for the owners' lock", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    const a = w.users.owner;
    const b = await addMember(w, "owner");
    const c = w.users.member;
    // A's cached access says owner from here on.
    await as(w, a.userId).organization.get({ orgId: w.orgId });

    const demoter = new pg.Client({ connectionString: testDb.adminUrl });
    await demoter.connect();
    try {
      await demoter.query("BEGIN");
      await demoter.query("SELECT id FROM members WHERE organization_id = $1 AND role = 'owner' FOR UPDATE", [w.orgId]);
      await demoter.query("UPDATE members SET role = 'admin' WHERE id = $1", [a.memberId]);
      const transfer = as(w, a.userId)
        .organization.transferOwnership({ orgId: w.orgId, memberId: c.memberId as string })
        .then(
          () => "ok",
          (error) => error.code as string,
        );
      // Wait until the transfer is blocked on the owners' row locks, then let the demotion commit.
      for (let i = 0; i < 100; i++) {
        const waiting = await db.value<number>(
          "SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        if ((waiting ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await demoter.query("COMMIT");
      expect(await transfer).toBe("FORBIDDEN");
    } finally {
      await demoter.end();
    }
    expect(await roleOf(c.memberId as string)).toBe("member");
    expect(await roleOf(a.memberId as string)).toBe("admin");
    expect(await roleOf(b.memberId)).toBe("owner");
    expect(
      await db.value(
        "SELECT count(*)::int FROM audit_events WHERE organization_id = $1 AND action = 'organization.ownership_transferred'",
        [w.orgId],
      ),
    ).toBe(0);
  });

  it("never lets a transfer go through after the transferring owner was demoted, however the race falls", async () => {
    for (let round = 0; round < 6; round++) {
      const a = await addMember(world, "owner");
      const b = await addMember(world, "owner");
      const c = await addMember(world, "member");
      await as(world, a.userId).organization.get({ orgId: world.orgId }); // warm: A is owner in the cache
      const [demotion, transfer] = await Promise.allSettled([
        as(world, b.userId).member.updateRole({ orgId: world.orgId, memberId: a.memberId, role: "admin" }),
        as(world, a.userId).organization.transferOwnership({ orgId: world.orgId, memberId: c.memberId }),
      ]);
      expect(demotion.status, `round ${round}: the demotion of A`).toBe("fulfilled");
      expect(await roleOf(a.memberId)).toBe("admin");
      const events = await db.rows<{ action: string; target_id: string }>(
        `SELECT action, target_id FROM audit_events WHERE organization_id = $1
            AND ((action = 'organization.ownership_transferred' AND target_id = $2) OR (action = 'member.role_updated' AND target_id = $3))
          ORDER BY seq`,
        [world.orgId, c.memberId, a.memberId],
      );
      if (transfer.status === "fulfilled") {
        // The transfer went first: C owns, and A's demotion came after it.
        expect(await roleOf(c.memberId)).toBe("owner");
        expect(events.map((e) => e.action)).toEqual(["organization.ownership_transferred", "member.role_updated"]);
      } else {
        expect((transfer.reason as { code?: string }).code, `round ${round}`).toBe("FORBIDDEN");
        expect(await roleOf(c.memberId)).toBe("member");
        expect(events.map((e) => e.action)).toEqual(["member.role_updated"]);
      }
    }
  });
});

describe("moving a team", () => {
  const parentOf = (teamId: string) => db.value<string | null>("SELECT parent_team_id FROM teams WHERE id = $1", [teamId]);

  async function expectMoveRefused(userId: string, teamId: string, newParentTeamId: string | null) {
    const parent = await parentOf(teamId);
    const audit = await auditCount(world.orgId);
    await expect(as(world, userId).team.move({ orgId: world.orgId, teamId, newParentTeamId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await parentOf(teamId)).toBe(parent);
    expect(await auditCount(world.orgId)).toBe(audit);
  }

  it("refuses a lead moving a team they lead into a subtree they do not lead, or to the top", async () => {
    const lead = world.users.directLead.userId; // leads the target
    const own = await addTeamUnderTarget(world);
    await expectMoveRefused(lead, own, world.siblingTeamId);
    await expectMoveRefused(lead, own, world.parentTeamId);
    await expectMoveRefused(lead, own, world.unrelatedTeamId);
    await expectMoveRefused(lead, own, null);
    const ancestorLead = world.users.targetLead.userId; // leads the parent
    await expectMoveRefused(ancestorLead, own, world.unrelatedTeamId);
    await expectMoveRefused(ancestorLead, own, null);
  });

  it("refuses a lead moving a team they do not lead into their own subtree", async () => {
    const siblingLead = world.users.siblingLead.userId;
    const underSibling = await createTeam(world.db, { orgId: world.orgId, name: `S ${randomUUID()}`, parentTeamId: world.siblingTeamId });
    await invalidateTeamTree(world.store, world.orgId);
    await expectMoveRefused(siblingLead, await addTeamUnderTarget(world), world.siblingTeamId);
    await expectMoveRefused(siblingLead, world.targetTeamId, underSibling.id);
    await expectMoveRefused(siblingLead, underSibling.id, world.targetTeamId);
  });

  it("lets a lead move within what they lead (the control)", async () => {
    const lead = world.users.directLead.userId;
    const team = await addTeamUnderTarget(world);
    const destination = await addTeamUnderTarget(world);
    await as(world, lead).team.move({ orgId: world.orgId, teamId: team, newParentTeamId: destination });
    expect(await parentOf(team)).toBe(destination);
  });
});
