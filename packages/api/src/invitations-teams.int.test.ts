import { createTestDatabase, createUser, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root.js";
import { createMemoryStore } from "./store/index.js";
import { createMailbox } from "./testing/mailbox.js";
import { outcomeOf } from "./testing/outcome.js";
import { addMember, asUser, contextFor, createWorld, type World } from "./testing/world.js";

let testDb: TestDatabase;
let world: World;
beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await createWorld(testDb.db, createMemoryStore());
});
afterAll(() => testDb.drop());

const as = (userId: string) => createCaller(contextFor(world, { kind: "user", userId }));
const owner = () => createCaller(asUser(world, "owner"));
const tokenOf = (url: string) => new URL(url).searchParams.get("token") as string;
const mailbox = createMailbox();

describe("invitations", () => {
  it("invites with a role and teams, mails a single-use link, notifies an existing user, and joins them on accept", async () => {
    const invitee = await createUser(testDb.db);
    const { invitation, inviteUrl } = await owner().invitation.create({
      orgId: world.orgId,
      email: invitee.email,
      role: "member",
      teamIds: [world.targetTeamId],
    });
    expect(invitation).not.toHaveProperty("tokenHash");
    const mail = await mailbox.latest(testDb.db, invitee.email, /invited to join/);
    expect(mail.text).toContain(inviteUrl);
    const notes = await as(invitee.id).notification.list();
    expect(notes[0]).toMatchObject({ kind: "invitation", link: null });
    expect(JSON.stringify(notes)).not.toContain(tokenOf(inviteUrl));

    const joined = await as(invitee.id).invitation.accept({ token: tokenOf(inviteUrl) });
    expect(joined).toMatchObject({ organization: { id: world.orgId, slug: world.orgSlug }, role: "member" });
    const team = await owner().team.get({ orgId: world.orgId, teamId: world.targetTeamId });
    expect(team.memberships.map((m) => m.member.user.id)).toContain(invitee.id);
    await expect(as(invitee.id).invitation.accept({ token: tokenOf(inviteUrl) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner().invitation.create({ orgId: world.orgId, email: invitee.email })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("accepts once even when two requests race", async () => {
    const invitee = await createUser(testDb.db);
    const { inviteUrl } = await owner().invitation.create({ orgId: world.orgId, email: invitee.email });
    const results = await Promise.allSettled([
      as(invitee.id).invitation.accept({ token: tokenOf(inviteUrl) }),
      as(invitee.id).invitation.accept({ token: tokenOf(inviteUrl) }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await testDb.db.forTenant({ orgId: world.orgId }).member.count({ where: { userId: invitee.id } })).toBe(1);
  });

  it("binds the invitation to the invited email; accepting with the mailed link verifies that address", async () => {
    const invitee = await createUser(testDb.db, { emailVerifiedAt: null });
    const stranger = await createUser(testDb.db, { emailVerifiedAt: null });
    const { inviteUrl } = await owner().invitation.create({ orgId: world.orgId, email: invitee.email });
    const verifiedAt = async (id: string) =>
      (await testDb.db.prisma.user.findUniqueOrThrow({ where: { id }, select: { emailVerifiedAt: true } })).emailVerifiedAt;
    // Another account holding the link is refused and learns nothing: still unverified, not a member.
    expect(await outcomeOf(as(stranger.id).invitation.accept({ token: tokenOf(inviteUrl) }))).toBe("FORBIDDEN EMAIL_MISMATCH");
    expect(await verifiedAt(stranger.id)).toBeNull();
    // The invited address, not yet verified: the link came to that mailbox, so accepting verifies it.
    await expect(as(invitee.id).invitation.accept({ token: tokenOf(inviteUrl) })).resolves.toMatchObject({ role: "member" });
    expect(await verifiedAt(invitee.id)).toBeInstanceOf(Date);
    expect(await testDb.db.forTenant({ orgId: world.orgId }).member.count({ where: { userId: invitee.id } })).toBe(1);
  });

  it("lists pending, revokes, and resends with a new link that replaces the old", async () => {
    const a = await owner().invitation.create({ orgId: world.orgId, email: `a-${crypto.randomUUID()}@example.test` });
    const b = await owner().invitation.create({ orgId: world.orgId, email: `b-${crypto.randomUUID()}@example.test` });
    await owner().invitation.revoke({ orgId: world.orgId, invitationId: a.invitation.id });
    const pending = await owner().invitation.list({ orgId: world.orgId });
    expect(pending.items.map((i) => i.id)).toContain(b.invitation.id);
    expect(pending.items.map((i) => i.id)).not.toContain(a.invitation.id);
    const resent = await owner().invitation.resend({ orgId: world.orgId, invitationId: b.invitation.id });
    expect(tokenOf(resent.inviteUrl)).not.toBe(tokenOf(b.inviteUrl));
    const invitee = await createUser(testDb.db, { email: b.invitation.email });
    await expect(as(invitee.id).invitation.accept({ token: tokenOf(b.inviteUrl) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(invitee.id).invitation.accept({ token: tokenOf(resent.inviteUrl) })).resolves.toMatchObject({ role: "member" });
  });

  it("lets nobody invite above their own role", async () => {
    const admin = await addMember(world, "admin");
    await expect(
      as(admin.userId).invitation.create({ orgId: world.orgId, email: `x-${crypto.randomUUID()}@example.test`, role: "owner" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("teams", () => {
  it("creates nested teams, lists them as a tree, moves one, and refuses cycles and a sixth level", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    const o = createCaller(asUser(w, "owner"));
    const eng = await o.team.create({ orgId: w.orgId, name: "Engineering" });
    const platform = await o.team.create({ orgId: w.orgId, name: "Platform", parentTeamId: eng.id });
    const infra = await o.team.create({ orgId: w.orgId, name: "Infra", parentTeamId: platform.id });
    await expect(o.team.create({ orgId: w.orgId, name: "Platform", parentTeamId: eng.id })).rejects.toMatchObject({ code: "CONFLICT" });

    const tree = await o.team.list({ orgId: w.orgId });
    const engNode = tree.find((t) => t.id === eng.id);
    expect(engNode?.children.map((c) => c.name)).toEqual(["Platform"]);
    expect(engNode?.children[0]?.children.map((c) => c.name)).toEqual(["Infra"]);

    await expect(o.team.move({ orgId: w.orgId, teamId: eng.id, newParentTeamId: infra.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    await o.team.move({ orgId: w.orgId, teamId: infra.id, newParentTeamId: null });
    expect((await o.team.list({ orgId: w.orgId })).map((t) => t.name)).toContain("Infra");

    let parent = infra.id;
    for (let level = 2; level <= 5; level++) parent = (await o.team.create({ orgId: w.orgId, name: `L${level}`, parentTeamId: parent })).id;
    await expect(o.team.create({ orgId: w.orgId, name: "L6", parentTeamId: parent })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
  });

  it("refuses to delete a team with sub-teams unless cascading, then deletes the subtree", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    const o = createCaller(asUser(w, "owner"));
    await expect(o.team.delete({ orgId: w.orgId, teamId: w.parentTeamId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await o.team.delete({ orgId: w.orgId, teamId: w.parentTeamId, cascade: true });
    const left = await w.db.forTenant({ orgId: w.orgId }).team.findMany();
    expect(left.map((t) => t.id)).toEqual([w.unrelatedTeamId]);
  });

  it("lets a lead manage their team and sub-teams' members, and a new lead gain that on the next call", async () => {
    const w = await createWorld(testDb.db, createMemoryStore());
    const lead = createCaller(asUser(w, "targetLead"));
    const someone = await addMember(w, "member");
    await lead.team.addMember({ orgId: w.orgId, teamId: w.targetTeamId, memberId: someone.memberId });
    await expect(lead.team.addMember({ orgId: w.orgId, teamId: w.unrelatedTeamId, memberId: someone.memberId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await lead.team.updateMemberRole({ orgId: w.orgId, teamId: w.targetTeamId, memberId: someone.memberId, role: "lead" });
    const promoted = createCaller(contextFor(w, { kind: "user", userId: someone.userId }));
    await expect(promoted.team.update({ orgId: w.orgId, teamId: w.targetTeamId, description: "now mine" })).resolves.toMatchObject({
      description: "now mine",
    });
    await lead.team.removeMember({ orgId: w.orgId, teamId: w.targetTeamId, memberId: someone.memberId });
    await expect(promoted.team.update({ orgId: w.orgId, teamId: w.targetTeamId, description: "gone" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
