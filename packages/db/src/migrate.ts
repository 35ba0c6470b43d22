import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** prisma/migrations at the repository root, from src/ or dist/ alike. */
// (path.join rather than new URL(…, import.meta.url), which bundlers take for an asset import)
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../prisma/migrations");

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
}

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
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
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
 * rest wait and then find nothing to do. An applied migration whose file changed is an error.
 */
export async function migrate(connectionString: string, options: { dir?: string } = {}): Promise<MigrateResult> {
  const migrations = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
    try {
      return await applyPending(client, migrations);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    await client.end();
  }
}

async function applyPending(client: pg.Client, migrations: Migration[]): Promise<MigrateResult> {
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
  const result: MigrateResult = { applied: [], alreadyApplied: [] };

  for (const migration of migrations) {
    const recorded = done.get(migration.name);
    if (recorded !== undefined) {
      if (recorded !== migration.checksum) {
        throw new MigrationError(
          `Migration ${migration.name} was changed after it was applied. Add a new migration instead of editing an applied one.`,
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
