import { randomUUID } from "node:crypto";
import type { Database } from "../client.js";
import type { Member, MemberRole, Organization, Team, TeamRole, User } from "../generated/prisma/client.js";

let sequence = 0;
/** Unique across test files running in parallel (random) and readable within one (counter). */
export function uniqueSuffix(): string {
  sequence += 1;
  return `${randomUUID().slice(0, 8)}${sequence}`;
}

export async function createUser(
  db: Database,
  overrides: Partial<Pick<User, "email" | "name" | "passwordHash" | "emailVerifiedAt">> = {},
): Promise<User> {
  const suffix = uniqueSuffix();
  return db.prisma.user.create({
    data: {
      email: (overrides.email ?? `user-${suffix}@example.test`).toLowerCase(),
      name: overrides.name ?? `User ${suffix}`,
      passwordHash: overrides.passwordHash ?? null,
      emailVerifiedAt: "emailVerifiedAt" in overrides ? overrides.emailVerifiedAt : new Date(),
    },
  });
}

export interface MemberSpec {
  role: MemberRole;
  /** An existing user; a new one is made when absent. */
  user?: User;
}

export interface CreatedMember {
  member: Member;
  user: User;
}

export interface CreatedOrg {
  org: Organization;
  /** The owner made for every org, first in `members` too. */
  owner: CreatedMember;
  /** The owner, then one entry per spec, in order. */
  members: CreatedMember[];
}

/**
 * An organization with an owner and the members asked for, e.g.
 * `createOrg(db, { members: [{ role: 'admin' }, { role: 'viewer' }] })`.
 * Everything goes through the app role under row-level security, as the product writes it.
 */
export async function createOrg(db: Database, options: { name?: string; slug?: string; members?: MemberSpec[] } = {}): Promise<CreatedOrg> {
  const suffix = uniqueSuffix();
  const specs: MemberSpec[] = [{ role: "owner" }, ...(options.members ?? [])];
  const users = await Promise.all(specs.map((spec) => spec.user ?? createUser(db)));
  const orgId = randomUUID();
  return db.withTenant({ orgId }, async (tx) => {
    const org = await tx.organization.create({
      data: { id: orgId, name: options.name ?? `Org ${suffix}`, slug: options.slug ?? `org-${suffix}` },
    });
    const members: CreatedMember[] = [];
    for (const [index, spec] of specs.entries()) {
      const user = users[index] as User;
      const member = await tx.member.create({ data: { organizationId: orgId, userId: user.id, role: spec.role } });
      members.push({ member, user });
    }
    return { org, owner: members[0] as CreatedMember, members };
  });
}

export async function createTeam(
  db: Database,
  options: { orgId: string; name?: string; parentTeamId?: string | null; members?: { memberId: string; role?: TeamRole }[] },
): Promise<Team> {
  return db.withTenant({ orgId: options.orgId }, async (tx) => {
    const team = await tx.team.create({
      data: {
        organizationId: options.orgId,
        name: options.name ?? `Team ${uniqueSuffix()}`,
        parentTeamId: options.parentTeamId ?? null,
      },
    });
    for (const m of options.members ?? []) {
      await tx.teamMembership.create({
        data: { organizationId: options.orgId, teamId: team.id, memberId: m.memberId, role: m.role ?? "member" },
      });
    }
    return team;
  });
}
