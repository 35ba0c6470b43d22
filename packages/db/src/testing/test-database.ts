import { randomUUID } from "node:crypto";
import pg from "pg";
import { bootstrapDatabase } from "../bootstrap.js";
import { createDatabase, type Database } from "../client.js";
import { APP_ROLE, OWNER_ROLE, withDatabase } from "../config.js";
import { migrate, migrationsFingerprint, readMigrations } from "../migrate.js";

/** A superuser URL for creating and dropping test databases. */
export function testAdminUrl(): string {
  return process.env.TEST_DATABASE_ADMIN_URL ?? process.env.DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

const TEST_DATABASE_PREFIX = "aihub_test_";
const TEMPLATE_PREFIX = "aihub_template_";

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: testAdminUrl() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** The template's name follows the migrations, so a changed migration gets a fresh template. */
export async function templateDatabaseName(): Promise<string> {
  return TEMPLATE_PREFIX + migrationsFingerprint(await readMigrations()).slice(0, 16);
}

/**
 * Makes sure the roles exist and a migrated template database is there to clone. Runs once
 * per test run (global setup). A template is built under a temporary name and renamed when
 * complete, so a half-built one is never cloned.
 */
export async function prepareTestTemplate(): Promise<string> {
  await bootstrapDatabase({ adminUrl: testAdminUrl() });
  const template = await templateDatabaseName();
  const exists = await withAdmin(async (admin) => (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template])).rowCount);
  if (exists) return template;

  const building = `${TEMPLATE_PREFIX}build_${randomUUID().slice(0, 8)}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${building} OWNER ${OWNER_ROLE}`));
  await migrate(urlAs(OWNER_ROLE, building));
  await withAdmin(async (admin) => {
    try {
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    } catch {
      // Another run finished the same template first; theirs is as good as ours.
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
    }
    await dropStaleDatabases(admin, template);
  });
  return template;
}

/**
 * Leftovers of crashed runs and templates of older migrations; in-use ones stay. The newest
 * few templates stay too: another run on this cluster (another checkout, other migrations) may
 * be about to clone its own.
 */
async function dropStaleDatabases(admin: pg.Client, keep: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $3
     UNION ALL
     (SELECT datname FROM pg_database WHERE datname LIKE $2 AND datname <> $3 ORDER BY oid DESC OFFSET 3)`,
    [`${TEST_DATABASE_PREFIX}%`, `${TEMPLATE_PREFIX}%`, keep],
  );
  for (const { datname } of rows) {
    await admin.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => {});
  }
}

export interface TestDatabase {
  name: string;
  /** The app role's URL: what the product connects as. */
  appUrl: string;
  /** The owner role's URL: what migrations connect as. */
  ownerUrl: string;
  /** A superuser's URL into this database, for assertions that must see past row-level security. */
  adminUrl: string;
  db: Database;
  drop(): Promise<void>;
}

function urlAs(role: string, database: string): string {
  const url = new URL(withDatabase(testAdminUrl(), database));
  url.username = role;
  url.password = role;
  return url.toString();
}

/**
 * A fresh database cloned from the migrated template: each test file gets its own.
 * `{ migrated: false }` gives an empty one (for testing the migrations themselves).
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const template = options.migrated === false ? "template0" : await templateDatabaseName();
  const name = `${TEST_DATABASE_PREFIX}${randomUUID().replaceAll("-", "").slice(0, 20)}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template} OWNER ${OWNER_ROLE}`));
  const appUrl = urlAs(APP_ROLE, name);
  const db = createDatabase({ url: appUrl, poolMax: 20 });
  return {
    name,
    appUrl,
    ownerUrl: urlAs(OWNER_ROLE, name),
    adminUrl: withDatabase(testAdminUrl(), name),
    db,
    async drop() {
      await db.close();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
