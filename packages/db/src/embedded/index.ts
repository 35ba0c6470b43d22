import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { APP_ROLE, OWNER_ROLE } from "../config.js";
import { type MigrateResult, migrate } from "../migrate.js";

export interface EmbeddedDatabase {
  /** A URL the app's usual pg driver connects to (user and database are ignored by PGlite). */
  url: string;
  dataDir: string;
  /** What this start applied (nothing on a restart of an up-to-date database). */
  migrations: MigrateResult;
  close(): Promise<void>;
}

/**
 * Starts PostgreSQL in-process (PGlite, WASM) with its data under `dataDir`, served on a
 * loopback port so the app uses the same driver as in production, then creates the roles and
 * applies the migrations. PGlite is one session shared by every connection: the app must use
 * a pool of one (createDatabase does for backend "pglite"), and tenant transactions switch to
 * the app role themselves, so row-level security applies here too.
 */
export async function startEmbeddedDatabase(options: { dataDir: string; port?: number }): Promise<EmbeddedDatabase> {
  await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir });
  // Two connections at most: the app's single pooled one and a short-lived admin one
  // (migrations, health); they never overlap a transaction (see TOOLCHAIN notes in docs).
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: 4 });
  await server.start();
  const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
  let migrations: MigrateResult;
  try {
    await createRoles(url);
    migrations = await migrate(url);
    // From here on the one shared session is the app role, so even a query without a tenant
    // context is under row-level security, as on a real server. Tenant transactions set the
    // same role again, transaction-locally.
    await db.exec(`SET ROLE ${APP_ROLE}`);
  } catch (error) {
    await server.stop();
    await db.close();
    throw error;
  }
  return {
    url,
    dataDir: options.dataDir,
    migrations,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

/** Same roles as on a real server; nobody logs in as them here, the app switches to them. */
async function createRoles(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const role of [OWNER_ROLE, APP_ROLE]) {
      await client.query(
        `DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
             CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS;
           END IF;
         END $$`,
      );
    }
  } finally {
    await client.end();
  }
}
