import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "../client.js";
import { seedDemoData } from "../seed.js";
import { describeTenantIsolation } from "../tenant-isolation.suite.js";
import { type EmbeddedDatabase, startEmbeddedDatabase } from "./index.js";

// The embedded default (PGlite): same migrations, same policies, same tenant client.
let dataDir: string;
let embedded: EmbeddedDatabase;
let db: Database;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "aihub-pglite-"));
  embedded = await startEmbeddedDatabase({ dataDir });
  db = createDatabase({ url: embedded.url, backend: "pglite" });
});
afterAll(async () => {
  await db?.close();
  await embedded?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describeTenantIsolation("embedded PGlite", () => db, { concurrent: true, adminUrl: () => embedded.url, ownerRoleOwnsTables: false });

describe("embedded database lifecycle", () => {
  it("runs queries without a tenant context as the app role, not as the superuser", async () => {
    const [row] = await db.prisma.$queryRaw<{ role: string }[]>`SELECT current_user AS role`;
    expect(row?.role).toBe("aihub_app");
  });

  it("seeds once and keeps its data across a restart, re-applying nothing", async () => {
    expect(await seedDemoData(db)).toEqual({ created: true });
    expect(await seedDemoData(db)).toEqual({ created: false });
    await db.close();
    await embedded.close();

    expect(embedded.migrations.applied.length).toBeGreaterThan(0);
    embedded = await startEmbeddedDatabase({ dataDir });
    expect(embedded.migrations.applied).toEqual([]);
    db = createDatabase({ url: embedded.url, backend: "pglite" });
    const ada = await db.prisma.user.findUniqueOrThrow({ where: { email: "ada@acme.example" } });
    const orgs = await db.forTenant({ orgId: null, userId: ada.id }).organization.findMany({ orderBy: { slug: "asc" } });
    expect(orgs.map((o) => o.slug)).toEqual(["acme-robotics", "globex-research"]);
    const acme = orgs[0]?.id ?? "";
    const teams = await db.forTenant({ orgId: acme }).team.findMany();
    expect(teams.map((t) => t.name).sort()).toEqual(["Applied AI", "Engineering", "Inference", "Platform", "Sales"]);
  });
});
