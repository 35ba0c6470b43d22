import { randomUUID } from "node:crypto";
import { createTeam } from "@aihub/db/testing";
import { invalidateTeamTree } from "../services/access/member-access.js";
import type { ProcedureFixture } from "./fixtures.js";
import { addMember, addTeamUnderTarget, type World } from "./world.js";

/** A team directly under `parentTeamId`, with the tree cache dropped as the product does. */
async function addTeamUnder(world: World, parentTeamId: string): Promise<string> {
  const team = await createTeam(world.db, { orgId: world.orgId, name: `Team ${randomUUID()}`, parentTeamId });
  await invalidateTeamTree(world.store, world.orgId);
  return team.id;
}

/**
 * Second targets for procedures whose answer depends on the target, not only on the caller
 * (rank, owners, which subtree). Keyed like the oracle: "path › variant".
 */
export const matrixVariants: Record<string, ProcedureFixture> = {
  "member.updateRole › demote an owner": async (world) => ({
    orgId: world.orgId,
    memberId: (await addMember(world, "owner")).memberId,
    role: "admin",
  }),
  "member.updateRole › promote to owner": async (world) => ({
    orgId: world.orgId,
    memberId: (await addMember(world, "member")).memberId,
    role: "owner",
  }),
  "member.remove › an owner": async (world) => ({ orgId: world.orgId, memberId: (await addMember(world, "owner")).memberId }),
  "member.setPermissionOverride › on an owner": async (world) => ({
    orgId: world.orgId,
    memberId: (await addMember(world, "owner")).memberId,
    permission: "member:update_permissions",
    effect: "deny",
  }),
  "invitation.resend › an owner's invitation": async (world) => {
    const invitation = await world.db.withTenant({ orgId: world.orgId }, (tx) =>
      tx.invitation.create({
        data: {
          organizationId: world.orgId,
          email: `owner-invitee-${randomUUID()}@example.test`,
          tokenHash: randomUUID(),
          role: "owner",
          invitedById: world.users.owner.userId,
        },
      }),
    );
    return { orgId: world.orgId, invitationId: invitation.id };
  },
  "team.create › under the sibling": async (world) => ({
    orgId: world.orgId,
    name: `Sub ${randomUUID().slice(0, 8)}`,
    parentTeamId: world.siblingTeamId,
  }),
  "team.update › the parent": async (world) => ({ orgId: world.orgId, teamId: world.parentTeamId, description: `Updated ${randomUUID()}` }),
  "team.move › within the target's subtree": async (world) => {
    const teamId = await addTeamUnderTarget(world);
    const newParentTeamId = await addTeamUnderTarget(world);
    return { orgId: world.orgId, teamId, newParentTeamId };
  },
  "team.move › into the sibling's subtree": async (world) => ({
    orgId: world.orgId,
    teamId: await addTeamUnderTarget(world),
    newParentTeamId: await addTeamUnder(world, world.siblingTeamId),
  }),
  "team.addMember › to the sibling": async (world) => ({
    orgId: world.orgId,
    teamId: world.siblingTeamId,
    memberId: (await addMember(world, "member")).memberId,
  }),
};
