import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./client.js";
import { type CreatedOrg, createOrg, createTeam } from "./testing/factories.js";

/**
 * The isolation contract of the tenant client, run against each backend (PostgreSQL, and the
 * embedded PGlite). `concurrent: false` keeps to the sequential part.
 */
export function describeTenantIsolation(backend: string, getDb: () => Database, options: { concurrent: boolean }) {
  describe(`tenant isolation on ${backend}`, () => {
    let db: Database;
    let a: CreatedOrg;
    let b: CreatedOrg;
    let teamA: { id: string };
    let teamB: { id: string };

    async function seedOrg(): Promise<{ org: CreatedOrg; team: { id: string } }> {
      const org = await createOrg(db, { members: [{ role: "admin" }, { role: "viewer" }] });
      const orgId = org.org.id;
      const parent = await createTeam(db, { orgId, members: [{ memberId: org.owner.member.id, role: "lead" }] });
      const team = await createTeam(db, { orgId, parentTeamId: parent.id });
      await db.withTenant({ orgId }, async (tx) => {
        await tx.invitation.create({ data: { organizationId: orgId, email: `${randomUUID()}@example.test`, tokenHash: randomUUID() } });
        await tx.memberPermissionOverride.create({
          data: { organizationId: orgId, memberId: (org.members[2] ?? org.owner).member.id, permission: "team:read", effect: "deny" },
        });
        await tx.auditEvent.create({
          data: { organizationId: orgId, actorType: "system", action: "org.created", hash: randomUUID(), seq: 1n },
        });
      });
      return { org, team };
    }

    beforeAll(async () => {
      db = getDb();
      ({ org: a, team: teamA } = await seedOrg());
      ({ org: b, team: teamB } = await seedOrg());
    });

    const tenantModels = ["member", "team", "teamMembership", "memberPermissionOverride", "invitation", "auditEvent"] as const;

    it("shows a tenant its own rows of every tenant table and none of another's", async () => {
      const scoped = db.forTenant({ orgId: a.org.id });
      for (const model of tenantModels) {
        // biome-ignore lint/suspicious/noExplicitAny: iterating over models with one shape of query
        const rows: { organizationId: string }[] = await (scoped[model] as any).findMany();
        expect(rows.length, model).toBeGreaterThan(0);
        expect(
          rows.every((r) => r.organizationId === a.org.id),
          model,
        ).toBe(true);
      }
      const orgs = await scoped.organization.findMany();
      expect(orgs.map((o) => o.id)).toEqual([a.org.id]);
      expect(await scoped.team.findUnique({ where: { id: teamA.id } })).not.toBeNull();
      expect(await scoped.team.findUnique({ where: { id: teamB.id } })).toBeNull();
    });

    it("scopes raw queries too", async () => {
      const rows = await db.forTenant({ orgId: a.org.id }).$queryRaw<{ organization_id: string }[]>`SELECT organization_id FROM teams`;
      expect(rows.length).toBe(2);
      expect(rows.every((r) => r.organization_id === a.org.id)).toBe(true);
    });

    it("lets updates and deletes of another tenant's rows touch nothing", async () => {
      const scoped = db.forTenant({ orgId: a.org.id });
      expect((await scoped.team.updateMany({ where: { id: teamB.id }, data: { name: "hijacked" } })).count).toBe(0);
      expect((await scoped.team.deleteMany({ where: { id: teamB.id } })).count).toBe(0);
      expect((await scoped.member.deleteMany({ where: { organizationId: b.org.id } })).count).toBe(0);
      expect((await scoped.organization.updateMany({ where: { id: b.org.id }, data: { name: "hijacked" } })).count).toBe(0);
      const stillThere = await db.forTenant({ orgId: b.org.id }).team.findUnique({ where: { id: teamB.id } });
      expect(stillThere?.name).not.toBe("hijacked");
      expect((await db.forTenant({ orgId: b.org.id }).organization.findUnique({ where: { id: b.org.id } }))?.name).toBe(b.org.name);
    });

    it("refuses to insert a row into another tenant", async () => {
      const scoped = db.forTenant({ orgId: a.org.id });
      await expect(scoped.team.create({ data: { organizationId: b.org.id, name: "planted" } })).rejects.toThrow(/row-level security/);
      await expect(scoped.member.create({ data: { organizationId: b.org.id, userId: a.owner.user.id, role: "owner" } })).rejects.toThrow(
        /row-level security/,
      );
      expect(await db.forTenant({ orgId: b.org.id }).team.count({ where: { name: "planted" } })).toBe(0);
    });

    it("shows no tenant rows without a tenant context", async () => {
      expect(await db.prisma.organization.count()).toBe(0);
      for (const model of tenantModels) {
        // biome-ignore lint/suspicious/noExplicitAny: iterating over models with one shape of query
        expect(await (db.prisma[model] as any).count(), model).toBe(0);
        // biome-ignore lint/suspicious/noExplicitAny: as above
        expect(await (db.forTenant({ orgId: null })[model] as any).count(), model).toBe(0);
      }
    });

    it("shows a user their own memberships and organizations across tenants, and nothing else", async () => {
      const shared = await createOrg(db, { members: [{ role: "member", user: a.owner.user }] });
      const asUser = db.forTenant({ orgId: null, userId: a.owner.user.id });
      const orgIds = (await asUser.organization.findMany()).map((o) => o.id).sort();
      expect(orgIds).toEqual([a.org.id, shared.org.id].sort());
      const memberships = await asUser.member.findMany();
      expect(memberships.every((m) => m.userId === a.owner.user.id)).toBe(true);
      expect(memberships).toHaveLength(2);
      expect(await asUser.team.count()).toBe(0);
    });

    it("leaves nothing behind when a tenant transaction rolls back", async () => {
      const name = `rolled-back-${randomUUID()}`;
      await expect(
        db.withTenant({ orgId: a.org.id }, async (tx) => {
          await tx.team.create({ data: { organizationId: a.org.id, name } });
          expect(await tx.team.count({ where: { name } })).toBe(1);
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect(await db.forTenant({ orgId: a.org.id }).team.count({ where: { name } })).toBe(0);
    });

    it("refuses UPDATE and DELETE of audit events from the app role", async () => {
      const scoped = db.forTenant({ orgId: a.org.id });
      expect(await scoped.auditEvent.count()).toBe(1);
      await expect(scoped.auditEvent.updateMany({ data: { action: "forged" } })).rejects.toThrow(/permission denied/);
      await expect(scoped.auditEvent.deleteMany({})).rejects.toThrow(/permission denied/);
      await expect(scoped.$executeRaw`TRUNCATE audit_events`).rejects.toThrow(/permission denied/);
      expect((await scoped.auditEvent.findFirst())?.action).toBe("org.created");
    });

    it("refuses a transaction opened on the tenant client and a malformed tenant id", () => {
      expect(() => db.forTenant({ orgId: a.org.id }).$transaction([])).toThrow(/withTenant/);
      expect(() => db.forTenant({ orgId: "' OR 1=1 --" })).toThrow(TypeError);
    });

    it.runIf(options.concurrent)("does not leak across 200 concurrent mixed-tenant queries", async () => {
      const expected = new Map([
        [a.org.id, await db.forTenant({ orgId: a.org.id }).team.count()],
        [b.org.id, await db.forTenant({ orgId: b.org.id }).team.count()],
      ]);
      const results = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const orgId = i % 2 === 0 ? a.org.id : b.org.id;
          const rows =
            i % 3 === 0
              ? await db.forTenant({ orgId }).$queryRaw<{ organizationId: string }[]>`SELECT organization_id AS "organizationId" FROM teams`
              : await db.forTenant({ orgId }).team.findMany();
          return { orgId, rows };
        }),
      );
      const leaks = results.filter(
        ({ orgId, rows }) => rows.some((r) => r.organizationId !== orgId) || rows.length !== expected.get(orgId),
      );
      expect(leaks).toHaveLength(0);
    });

    it.runIf(options.concurrent)("keeps concurrent interactive tenant transactions apart", async () => {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => {
          const orgId = i % 2 === 0 ? a.org.id : b.org.id;
          return db.withTenant({ orgId }, async (tx) => {
            const [setting] = await tx.$queryRaw<{ org: string }[]>`SELECT current_setting('app.current_org_id') AS org`;
            const teams = await tx.team.findMany();
            return { orgId, seen: setting?.org, teamOrgs: new Set(teams.map((t) => t.organizationId)) };
          });
        }),
      );
      for (const r of results) {
        expect(r.seen).toBe(r.orgId);
        expect([...r.teamOrgs]).toEqual([r.orgId]);
      }
    });
  });
}
