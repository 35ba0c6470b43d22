import { createTestDatabase, createUser, type TestDatabase } from "@aihub/db/testing";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "./errors.js";
import { createCaller } from "./root.js";
import { createMemoryStore } from "./store/index.js";
import { addMember, asUser, contextFor, createWorld, type World } from "./testing/world.js";

/**
 * `invitation.preview`: what an invitation link leads to before sign-in — the organization, the
 * role, who invited, the invited address, and whether it can still be accepted.
 */
let testDb: TestDatabase;
let world: World;
let admin: pg.Client;
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await testDb.drop();
});

const anonymous = () => createCaller(contextFor(world, null));
const tokenOf = (url: string) => new URL(url).searchParams.get("token") as string;
const orgName = async () => (await admin.query("SELECT name FROM organizations WHERE id = $1", [world.orgId])).rows[0].name as string;

async function invite(as: ReturnType<typeof createCaller>, email: string, role: "member" | "viewer" = "member") {
  const { invitation, inviteUrl } = await as.invitation.create({ orgId: world.orgId, email, role });
  return { invitationId: invitation.id, token: tokenOf(inviteUrl) };
}

describe("invitation.preview", () => {
  it("shows a signed-out visitor the organization, role, inviter and address of a pending invitation", async () => {
    const email = `preview-${Date.now()}@example.test`;
    const { token } = await invite(createCaller(asUser(world, "owner")), email, "viewer");
    const ownerName = (await admin.query("SELECT name FROM users WHERE id = $1", [world.users.owner.userId])).rows[0].name;
    const preview = await anonymous().invitation.preview({ token });
    expect(preview).toMatchObject({
      organization: { name: await orgName(), slug: world.orgSlug },
      role: "viewer",
      email,
      invitedBy: { name: ownerName },
      status: "pending",
    });
    const days = (preview.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6);
    expect(days).toBeLessThanOrEqual(7);
  });

  it("says when the link can no longer be used: accepted, revoked, expired", async () => {
    const owner = createCaller(asUser(world, "owner"));
    const invitee = await createUser(testDb.db);
    const accepted = await invite(owner, invitee.email);
    await createCaller(contextFor(world, { kind: "user", userId: invitee.id })).invitation.accept({ token: accepted.token });
    expect((await anonymous().invitation.preview({ token: accepted.token })).status).toBe("accepted");

    const revoked = await invite(owner, `revoked-${Date.now()}@example.test`);
    await owner.invitation.revoke({ orgId: world.orgId, invitationId: revoked.invitationId });
    expect((await anonymous().invitation.preview({ token: revoked.token })).status).toBe("revoked");

    const expired = await invite(owner, `expired-${Date.now()}@example.test`);
    await admin.query("UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1", [expired.invitationId]);
    expect((await anonymous().invitation.preview({ token: expired.token })).status).toBe("expired");
  });

  it("names nobody once the inviter has left the organization", async () => {
    const inviter = await addMember(world, "admin");
    await admin.query("UPDATE users SET email_verified_at = now() WHERE id = $1", [inviter.userId]);
    const { token } = await invite(
      createCaller(contextFor(world, { kind: "user", userId: inviter.userId })),
      `left-${Date.now()}@example.test`,
    );
    await createCaller(asUser(world, "owner")).member.remove({ orgId: world.orgId, memberId: inviter.memberId });
    expect((await anonymous().invitation.preview({ token })).invitedBy).toBeNull();
  });

  it("answers an unknown token with INVALID_INVITATION and reveals nothing", async () => {
    const error = await anonymous()
      .invitation.preview({ token: "x".repeat(43) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).cause).toBeInstanceOf(DomainError);
    expect(((error as TRPCError).cause as DomainError).details.reason).toBe("INVALID_INVITATION");
  });
});
