import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from "./migrate.js";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.js";

const opened: TestDatabase[] = [];
async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrated: false });
  opened.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.drop()));
});

async function historyOf(url: string): Promise<{ migration_name: string; checksum: string; finished: boolean }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name",
    );
    return rows;
  } finally {
    await client.end();
  }
}

describe("migration runner", () => {
  it("applies every migration once, in Prisma's history format, and a second run is a no-op", async () => {
    const db = await emptyDatabase();
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);

    const first = await migrate(db.ownerUrl);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const second = await migrate(db.ownerUrl);
    expect(second).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.name), pastVersions: [] });

    expect(await historyOf(db.ownerUrl)).toEqual(migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum, finished: true })));
  });

  it("lets two concurrent runners through one at a time: one applies, the other finds nothing to do", async () => {
    const db = await emptyDatabase();
    const names = (await readMigrations()).map((m) => m.name);
    const results = await Promise.all([migrate(db.ownerUrl), migrate(db.ownerUrl), migrate(db.ownerUrl)]);
    const appliers = results.filter((r) => r.applied.length > 0);
    expect(appliers).toHaveLength(1);
    expect(appliers[0]?.applied).toEqual(names);
    expect(results.filter((r) => r.applied.length === 0).every((r) => r.alreadyApplied.length === names.length)).toBe(true);
    expect(await historyOf(db.ownerUrl)).toHaveLength(names.length);
  });

  it("refuses to continue when an applied migration was edited, and rolls back a failing one whole", async () => {
    const db = await emptyDatabase();
    const dir = await mkdtemp(join(tmpdir(), "aihub-migrations-"));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      await migrate(db.ownerUrl, { dir });

      const [first] = await readMigrations(dir);
      await writeFile(join(dir, first?.name ?? "", "migration.sql"), `${first?.sql}\n-- edited later\n`);
      await expect(migrate(db.ownerUrl, { dir })).rejects.toThrow(MigrationError);
      await writeFile(join(dir, first?.name ?? "", "migration.sql"), first?.sql ?? "");

      // A failing migration leaves neither its half-done changes nor a history row behind.
      await cp(join(dir, first?.name ?? ""), join(dir, "99990101000000_broken"), { recursive: true });
      await writeFile(join(dir, "99990101000000_broken", "migration.sql"), "CREATE TABLE half_done (id int);\nSELECT 1/0;");
      await expect(migrate(db.ownerUrl, { dir })).rejects.toThrow(/99990101000000_broken failed: division by zero/);
      const client = new pg.Client({ connectionString: db.ownerUrl });
      await client.connect();
      const { rows } = await client.query("SELECT to_regclass('half_done') AS t");
      await client.end();
      expect(rows[0]?.t).toBeNull();
      expect((await historyOf(db.ownerUrl)).map((h) => h.migration_name)).not.toContain("99990101000000_broken");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
