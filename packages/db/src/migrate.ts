import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** prisma/migrations at the repository root, from src/ or dist/ alike. */
// (path.join rather than new URL(…, import.meta.url), which bundlers take for an asset import)
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../prisma/migrations");

/**
 * The manifest of landed migrations, in the migrations folder: one `<name> <sha256>` line per
 * text a migration has had, appended and never edited. A migration's last line is its current
 * text; earlier lines are texts it had when some database applied it (it was edited after it
 * landed, and a later migration brings those databases to the same state).
 */
export const MANIFEST_FILE = "checksums.txt";

/** Any key will do as long as every runner uses the same one; this spells "aihubmig". */
const MIGRATION_LOCK_KEY = 0x616968_75626d69n;

export interface Migration {
  name: string;
  sql: string;
  /** SHA-256 of the file, as Prisma records it. */
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
  /** Applied migrations whose recorded checksum is an earlier text the manifest lists (also in `alreadyApplied`). */
  pastVersions: { name: string; checksum: string }[];
}

/** Each migration's checksums in the manifest, oldest first. */
export type MigrationManifest = Map<string, string[]>;

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${dir}/${name}/migration.sql`, "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

function checksumOf(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** Parses the manifest's text (`#` comments and blank lines allowed). */
export function parseMigrationManifest(text: string): MigrationManifest {
  const manifest: MigrationManifest = new Map();
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(\d{14}_[A-Za-z0-9_]+) ([0-9a-f]{64})$/.exec(line);
    if (!match) throw new MigrationError(`${MANIFEST_FILE} line ${index + 1} is not "<migration> <sha256>": ${line}`);
    const [, name, checksum] = match as unknown as [string, string, string];
    const known = manifest.get(name) ?? [];
    if (known.includes(checksum)) throw new MigrationError(`${MANIFEST_FILE} line ${index + 1} repeats a checksum of ${name}`);
    manifest.set(name, [...known, checksum]);
  }
  return manifest;
}

/** The manifest of the migrations folder; empty when there is none. */
export async function readMigrationManifest(dir = MIGRATIONS_DIR): Promise<MigrationManifest> {
  try {
    return parseMigrationManifest(await readFile(join(dir, MANIFEST_FILE), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw error;
  }
}

/** One hash over every migration: tests name their template database after it. */
export function migrationsFingerprint(migrations: Migration[]): string {
  const hash = createHash("sha256");
  for (const m of migrations) hash.update(`${m.name}\0${m.checksum}\0`);
  return hash.digest("hex");
}

/**
 * Applies the migrations that are not yet applied, each in its own transaction, recording
 * them in Prisma's `_prisma_migrations` table (so `prisma migrate status` reads the same
 * history). A session advisory lock makes concurrent runners queue: the first applies, the
 * rest wait and then find nothing to do. An applied migration whose file changed is an error,
 * unless the manifest lists the recorded checksum as an earlier text of that migration: then
 * it counts as applied and is reported in `pastVersions` (and to `log`).
 */
export async function migrate(
  connectionString: string,
  options: { dir?: string; log?: (message: string) => void } = {},
): Promise<MigrateResult> {
  const migrations = await readMigrations(options.dir);
  const manifest = await readMigrationManifest(options.dir);
  const log = options.log ?? ((message: string) => console.warn(message));
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
    try {
      return await applyPending(client, migrations, manifest, log);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    await client.end();
  }
}

async function applyPending(
  client: pg.Client,
  migrations: Migration[],
  manifest: MigrationManifest,
  log: (message: string) => void,
): Promise<MigrateResult> {
  await client.query(`CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                  varchar(36) PRIMARY KEY NOT NULL,
    checksum            varchar(64) NOT NULL,
    finished_at         timestamptz,
    migration_name      varchar(255) NOT NULL,
    logs                text,
    rolled_back_at      timestamptz,
    started_at          timestamptz NOT NULL DEFAULT now(),
    applied_steps_count integer NOT NULL DEFAULT 0
  )`);
  const { rows } = await client.query<{ migration_name: string; checksum: string }>(
    "SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
  );
  const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
  const result: MigrateResult = { applied: [], alreadyApplied: [], pastVersions: [] };

  for (const migration of migrations) {
    const recorded = done.get(migration.name);
    if (recorded !== undefined) {
      if (recorded !== migration.checksum) {
        // Accepted only as an earlier text of the file as it now is: both in the manifest, in that order.
        const known = manifest.get(migration.name) ?? [];
        const current = known.indexOf(migration.checksum);
        const past = known.indexOf(recorded);
        if (current < 0 || past < 0 || past > current) {
          throw new MigrationError(
            `Migration ${migration.name} was changed after it was applied. Add a new migration instead of editing an applied one.`,
          );
        }
        result.pastVersions.push({ name: migration.name, checksum: recorded });
        log(
          `Migration ${migration.name} was applied from an earlier text (checksum ${recorded.slice(0, 12)}…) that ${MANIFEST_FILE} lists; later migrations bring the database up to date.`,
        );
      }
      result.alreadyApplied.push(migration.name);
      continue;
    }
    await client.query("BEGIN");
    try {
      // The whole file in one simple-protocol query, so DO $$ … $$ bodies stay intact.
      await client.query(migration.sql);
      await client.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
    }
    result.applied.push(migration.name);
  }
  return result;
}
