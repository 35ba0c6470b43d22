import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MigrationError, migrate, readMigrations } from "./migrate.js";
import { schemaSnapshot } from "./testing/schema-snapshot.js";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.js";

/**
 * A database migrated while a landed migration still had an earlier text (kept in
 * testing/past-migrations) is accepted by the runner and ends, after the later migrations, in
 * exactly the state of a freshly migrated one.
 */
const PAST_TEXTS = join(dirname(fileURLToPath(import.meta.url)), "testing/past-migrations");
const pastTexts = (await readdir(PAST_TEXTS)).sort();

let fresh: TestDatabase;
let freshSchema: Awaited<ReturnType<typeof schemaSnapshot>>;
const opened: TestDatabase[] = [];

beforeAll(async () => {
  fresh = await createTestDatabase();
  freshSchema = await schemaSnapshot(fresh.adminUrl);
});
afterAll(async () => {
  await Promise.all([fresh, ...opened].map((db) => db.drop()));
});

/** A migrations folder as it was: the migrations up to `name`, with `name` holding `sql`. */
async function pastFolder(name: string, sql: string): Promise<{ dir: string; names: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), "aihub-past-migrations-"));
  const earlier = (await readMigrations()).filter((m) => m.name <= name);
  for (const migration of earlier) {
    await mkdir(join(dir, migration.name));
    await writeFile(join(dir, migration.name, "migration.sql"), migration.name === name ? sql : migration.sql);
  }
  return { dir, names: earlier.map((m) => m.name) };
}

describe.each(pastTexts)("a database migrated with the earlier text %s", (file) => {
  it("is accepted, reported and brought to the same schema as a fresh one", async () => {
    const name = file.split(".")[0] as string;
    const sql = await readFile(join(PAST_TEXTS, file), "utf8");
    const checksum = createHash("sha256").update(sql).digest("hex");
    const db = await createTestDatabase({ migrated: false });
    opened.push(db);

    const past = await pastFolder(name, sql);
    try {
      expect((await migrate(db.ownerUrl, { dir: past.dir })).applied).toEqual(past.names);
    } finally {
      await rm(past.dir, { recursive: true, force: true });
    }
    expect(await schemaSnapshot(db.adminUrl)).not.toEqual(freshSchema);

    const messages: string[] = [];
    const upgrade = await migrate(db.ownerUrl, { log: (m) => messages.push(m) });
    const all = (await readMigrations()).map((m) => m.name);
    expect(upgrade.pastVersions).toEqual([{ name, checksum }]);
    expect(upgrade.alreadyApplied).toEqual(past.names);
    expect(upgrade.applied).toEqual(all.filter((n) => n > name));
    expect(messages).toEqual([expect.stringContaining(`${name} was applied from an earlier text (checksum ${checksum.slice(0, 12)}`)]);

    expect(await schemaSnapshot(db.adminUrl)).toEqual(freshSchema);
    // And from then on it is an ordinary, fully migrated database.
    const again = await migrate(db.ownerUrl, { log: (m) => messages.push(m) });
    expect(again.applied).toEqual([]);
    expect(again.pastVersions).toEqual([{ name, checksum }]);
  });
});

describe("the runner", () => {
  it("still refuses a recorded text the manifest does not list", async () => {
    const db = await createTestDatabase({ migrated: false });
    opened.push(db);
    const [first] = await readMigrations();
    const past = await pastFolder(first?.name as string, `${first?.sql}\n-- a text that never landed\n`);
    try {
      await migrate(db.ownerUrl, { dir: past.dir });
    } finally {
      await rm(past.dir, { recursive: true, force: true });
    }
    await expect(migrate(db.ownerUrl, { log: () => {} })).rejects.toThrow(MigrationError);
  });
});
