import { randomUUID } from "node:crypto";
import type { Database } from "./client.js";
import type { MemberRole, TeamRole } from "./generated/prisma/client.js";
import { hashPassword } from "./passwords.js";

/** Every demo account signs in with this password (printed in the README). */
export const DEMO_PASSWORD = "demo-password";

interface DemoTeam {
  name: string;
  description: string;
  members?: { email: string; role: TeamRole }[];
  children?: DemoTeam[];
}

interface DemoOrg {
  name: string;
  slug: string;
  plan: "free" | "pro" | "enterprise";
  timezone: string;
  members: { email: string; role: MemberRole }[];
  teams: DemoTeam[];
}

const DEMO_USERS = [
  { email: "ada@acme.example", name: "Ada Lovelace" },
  { email: "ben@acme.example", name: "Ben Okafor" },
  { email: "cleo@acme.example", name: "Cleo Zhang" },
  { email: "dev@acme.example", name: "Dev Patel" },
  { email: "grace@globex.example", name: "Grace Hopper" },
  { email: "li@globex.example", name: "Li Wei" },
];

const DEMO_ORGS: DemoOrg[] = [
  {
    name: "Acme Robotics",
    slug: "acme-robotics",
    plan: "enterprise",
    timezone: "America/New_York",
    members: [
      { email: "ada@acme.example", role: "owner" },
      { email: "ben@acme.example", role: "admin" },
      { email: "cleo@acme.example", role: "member" },
      { email: "dev@acme.example", role: "viewer" },
    ],
    teams: [
      {
        name: "Engineering",
        description: "Everyone who ships code",
        members: [{ email: "ben@acme.example", role: "lead" }],
        children: [
          {
            name: "Platform",
            description: "Gateway, billing and infrastructure",
            members: [{ email: "cleo@acme.example", role: "lead" }],
            children: [{ name: "Inference", description: "Model serving", members: [{ email: "dev@acme.example", role: "member" }] }],
          },
          { name: "Applied AI", description: "Product features built on models" },
        ],
      },
      { name: "Sales", description: "Customer-facing teams" },
    ],
  },
  {
    name: "Globex Research",
    slug: "globex-research",
    plan: "pro",
    timezone: "Asia/Shanghai",
    members: [
      { email: "grace@globex.example", role: "owner" },
      { email: "li@globex.example", role: "member" },
      // Ada belongs to both organizations, so the org switcher has something to switch.
      { email: "ada@acme.example", role: "viewer" },
    ],
    teams: [
      {
        name: "Research",
        description: "Long-horizon work",
        members: [{ email: "li@globex.example", role: "lead" }],
        children: [{ name: "Vision", description: "Image and video models" }],
      },
    ],
  },
];

/**
 * The demo company: two organizations, nested teams, members of every role. Re-runnable: does
 * nothing when the demo owner already exists. Written through the app role, under row-level
 * security, as the product itself writes.
 */
export async function seedDemoData(db: Database): Promise<{ created: boolean }> {
  const existing = await db.prisma.user.findUnique({ where: { email: DEMO_USERS[0]?.email ?? "" } });
  if (existing) return { created: false };

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const userIds = new Map<string, string>();
  for (const user of DEMO_USERS) {
    const created = await db.prisma.user.create({ data: { ...user, passwordHash, emailVerifiedAt: new Date() } });
    userIds.set(user.email, created.id);
  }

  for (const demo of DEMO_ORGS) {
    const orgId = randomUUID();
    await db.withTenant({ orgId }, async (tx) => {
      await tx.organization.create({
        data: { id: orgId, name: demo.name, slug: demo.slug, plan: demo.plan, timezone: demo.timezone },
      });
      const memberIds = new Map<string, string>();
      for (const m of demo.members) {
        const member = await tx.member.create({
          data: { organizationId: orgId, userId: userIds.get(m.email) as string, role: m.role },
        });
        memberIds.set(m.email, member.id);
      }
      const createTeams = async (teams: DemoTeam[], parentTeamId: string | null): Promise<void> => {
        for (const t of teams) {
          const team = await tx.team.create({
            data: { organizationId: orgId, parentTeamId, name: t.name, description: t.description },
          });
          for (const tm of t.members ?? []) {
            await tx.teamMembership.create({
              data: { organizationId: orgId, teamId: team.id, memberId: memberIds.get(tm.email) as string, role: tm.role },
            });
          }
          await createTeams(t.children ?? [], team.id);
        }
      };
      await createTeams(demo.teams, null);
    });
  }
  return { created: true };
}
