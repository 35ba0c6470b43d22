import pg from "pg";
import { APP_ROLE, OWNER_ROLE } from "./config.js";

/** Any constant shared by all bootstrappers; spells "aihubrol". */
const BOOTSTRAP_LOCK_KEY = 0x61696875_62726f6cn;

export interface BootstrapOptions {
  /** A superuser connection (any database). */
  adminUrl: string;
  /** The app's database, created owned by the owner role when missing. Omit on the embedded database. */
  database?: string;
  appPassword?: string;
  ownerPassword?: string;
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Creates the cluster-wide roles (a migration cannot: roles outlive databases) and the
 * database. Re-runnable and safe to run concurrently. The owner role owns the schema and runs
 * migrations; the app role logs in, owns nothing and bypasses nothing.
 */
export async function bootstrapDatabase(options: BootstrapOptions): Promise<void> {
  const admin = new pg.Client({ connectionString: options.adminUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock($1)", [BOOTSTRAP_LOCK_KEY.toString()]);
    await ensureRole(admin, OWNER_ROLE, options.ownerPassword ?? OWNER_ROLE);
    await ensureRole(admin, APP_ROLE, options.appPassword ?? APP_ROLE);
    if (options.database) await ensureDatabase(admin, options.database);
    await admin.query("SELECT pg_advisory_unlock($1)", [BOOTSTRAP_LOCK_KEY.toString()]);
  } finally {
    await admin.end();
  }
  if (options.database) {
    const url = new URL(options.adminUrl);
    url.pathname = `/${options.database}`;
    const inDatabase = new pg.Client({ connectionString: url.toString() });
    await inDatabase.connect();
    try {
      // Nobody but the owner creates objects; the app role only uses them.
      await inDatabase.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
      await inDatabase.query(`GRANT ALL ON SCHEMA public TO ${OWNER_ROLE}`);
    } finally {
      await inDatabase.end();
    }
  }
}

async function ensureRole(admin: pg.Client, role: string, password: string): Promise<void> {
  const { rowCount } = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
  const verb = rowCount ? "ALTER" : "CREATE";
  // Re-asserting the attributes on every run repairs a role someone widened by hand.
  await admin.query(
    `${verb} ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION PASSWORD ${quoteLiteral(password)}`,
  );
}

async function ensureDatabase(admin: pg.Client, database: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`Unsupported database name: ${database}`);
  const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (!rowCount) await admin.query(`CREATE DATABASE ${database} OWNER ${OWNER_ROLE}`);
}
