import { randomUUID } from "node:crypto";
import type { Database } from "./client.js";
import type { MemberRole, TeamRole } from "./generated/prisma/client.js";
import { hashPassword } from "./passwords.js";
import { seedSpend } from "./seed-spend.js";

/** Every demo account signs in with this password (printed in the README). */
export const DEMO_PASSWORD = "demo-password";

interface DemoTeam {
  name: string;
  description: string;
  members?: { email: string; role: TeamRole }[];
  children?: DemoTeam[];
}

/** A demo organization API key; created by the org's first (owner) member. */
interface DemoKey {
  name: string;
  scopes: string[];
  /** Bound to this team (by name): acts on its subtree only, usage attributed to it. */
  team?: string;
  rateLimitPerMinute?: number;
  monthlyQuota?: number;
  revoked?: boolean;
  /** Days ago it was last used (none: never). */
  lastUsedDaysAgo?: number;
}

/** Who spends in the demo's usage: a member (by email) for a team (by name), or a key (by name). */
interface DemoSpend {
  member?: string;
  team?: string;
  key?: string;
  weight: number;
}

interface DemoOrg {
  name: string;
  slug: string;
  plan: "free" | "pro" | "enterprise";
  timezone: string;
  members: { email: string; role: MemberRole }[];
  teams: DemoTeam[];
  keys: DemoKey[];
  /** 90 days of usage: records per day, who spends, and budgets (scope by name; the org's is "*"). */
  usage: {
    recordsPerDay: number;
    spenders: DemoSpend[];
    budgets: { scope: "organization" | "team" | "member" | "api_key"; name: string; hardLimit: boolean; peakUse: number }[];
  };
}

/**
 * How the product issues a key: its format and its HMAC with API_KEY_SECRET live in
 * @aihub/api, which this package can't import (the API depends on it), so the caller passes them.
 */
export interface DemoKeyIssuer {
  generate: () => { key: string; prefix: string };
  hash: (key: string) => string;
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
    keys: [
      {
        name: "Production gateway",
        scopes: ["org:read", "budget:read", "usage:read", "usage:write"],
        rateLimitPerMinute: 600,
        monthlyQuota: 5_000_000,
        lastUsedDaysAgo: 0,
      },
      { name: "Platform CI", scopes: ["team:read", "team:manage_members", "usage:read"], team: "Platform", lastUsedDaysAgo: 2 },
      { name: "Old staging key", scopes: ["org:read", "usage:write"], revoked: true, lastUsedDaysAgo: 40 },
    ],
    usage: {
      recordsPerDay: 300,
      spenders: [
        { key: "Production gateway", weight: 40 },
        { key: "Platform CI", weight: 8 },
        { member: "cleo@acme.example", team: "Platform", weight: 17 },
        { member: "dev@acme.example", team: "Inference", weight: 12 },
        { member: "ben@acme.example", team: "Engineering", weight: 15 },
        // Usage for no team: the explorer's "no team" bucket.
        { member: "ada@acme.example", weight: 8 },
      ],
      budgets: [
        { scope: "organization", name: "*", hardLimit: true, peakUse: 0.7 },
        { scope: "team", name: "Engineering", hardLimit: true, peakUse: 0.85 },
        { scope: "team", name: "Platform", hardLimit: true, peakUse: 0.95 },
        { scope: "team", name: "Inference", hardLimit: false, peakUse: 1.1 },
        { scope: "member", name: "cleo@acme.example", hardLimit: true, peakUse: 0.6 },
        { scope: "api_key", name: "Production gateway", hardLimit: true, peakUse: 0.75 },
      ],
    },
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
    keys: [
      { name: "Research notebooks", scopes: ["usage:read", "usage:write"], team: "Research", rateLimitPerMinute: 60, monthlyQuota: 50_000 },
    ],
    usage: {
      recordsPerDay: 80,
      spenders: [
        { key: "Research notebooks", weight: 50 },
        { member: "li@globex.example", team: "Vision", weight: 30 },
        { member: "grace@globex.example", weight: 20 },
      ],
      budgets: [
        { scope: "organization", name: "*", hardLimit: true, peakUse: 0.8 },
        { scope: "team", name: "Research", hardLimit: false, peakUse: 0.9 },
      ],
    },
  },
];

/**
 * The demo company: two organizations, nested teams, members of every role and, given a key
 * issuer, a few API keys (org-wide with limits, team-bound, revoked; their secrets are thrown
 * away — nobody needs them, the console issues new ones). Re-runnable: does nothing when the demo
 * owner already exists. Written through the app role, under row-level security, as the product
 * itself writes.
 */
export async function seedDemoData(db: Database, options: { keys?: DemoKeyIssuer } = {}): Promise<{ created: boolean }> {
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
    await db.withTenant(
      { orgId },
      async (tx) => {
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
        const teamIds = new Map<string, string>();
        const createTeams = async (teams: DemoTeam[], parentTeamId: string | null): Promise<void> => {
          for (const t of teams) {
            const team = await tx.team.create({
              data: { organizationId: orgId, parentTeamId, name: t.name, description: t.description },
            });
            teamIds.set(t.name, team.id);
            for (const tm of t.members ?? []) {
              await tx.teamMembership.create({
                data: { organizationId: orgId, teamId: team.id, memberId: memberIds.get(tm.email) as string, role: tm.role },
              });
            }
            await createTeams(t.children ?? [], team.id);
          }
        };
        await createTeams(demo.teams, null);
        const keyIds = new Map<string, string>();
        const issuer = options.keys;
        const owner = demo.members.find((m) => m.role === "owner");
        for (const k of issuer ? demo.keys : []) {
          if (!issuer) break;
          const { key, prefix } = issuer.generate();
          const id = randomUUID();
          if (!k.revoked) keyIds.set(k.name, id);
          await tx.orgApiKey.create({
            data: {
              id,
              organizationId: orgId,
              teamId: k.team ? (teamIds.get(k.team) ?? null) : null,
              name: k.name,
              keyHash: issuer.hash(key),
              keyPrefix: prefix,
              scopes: k.scopes,
              rateLimitPerMinute: k.rateLimitPerMinute,
              monthlyQuota: k.monthlyQuota,
              status: k.revoked ? "revoked" : "active",
              revokedAt: k.revoked ? daysAgo(30) : null,
              lastUsedAt: k.lastUsedDaysAgo === undefined ? null : daysAgo(k.lastUsedDaysAgo),
              createdById: owner ? (userIds.get(owner.email) ?? null) : null,
              counterId: id,
            },
          });
        }
        // A key's usage only where the keys were made (they need the product's issuer).
        const idOf = (scope: string, name: string) =>
          scope === "organization"
            ? orgId
            : scope === "team"
              ? teamIds.get(name)
              : scope === "member"
                ? memberIds.get(name)
                : keyIds.get(name);
        await seedSpend(tx, orgId, {
          recordsPerDay: demo.usage.recordsPerDay,
          days: 90,
          spenders: demo.usage.spenders
            .filter((s) => !s.key || keyIds.has(s.key))
            .map((s) => ({
              // A key's calls go to the key's team, as the charging path attributes them.
              teamId: s.key
                ? (teamIds.get(demo.keys.find((k) => k.name === s.key)?.team ?? "") ?? null)
                : s.team
                  ? (teamIds.get(s.team) as string)
                  : null,
              memberId: s.member ? (memberIds.get(s.member) as string) : null,
              apiKeyId: s.key ? (keyIds.get(s.key) as string) : null,
              weight: s.weight,
            })),
          budgets: demo.usage.budgets.flatMap((b) => {
            const scopeId = idOf(b.scope, b.name);
            return scopeId ? [{ scope: b.scope, scopeId, hardLimit: b.hardLimit, peakUse: b.peakUse }] : [];
          }),
        });
      },
      SEED_TX,
    );
  }
  return { created: true };
}

/** The demo's usage is one long set-based statement per organization; the default 5 s is for requests. */
const SEED_TX = { maxWait: 60_000, timeout: 120_000 } as const;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000 - 3_600_000);
