// Drops and recreates the database in DATABASE_URL, then migrates and seeds it: a clean slate
// for development and for the browser tests. Needs a superuser (DATABASE_ADMIN_URL).
import pg from "pg";
import { bootstrapDatabase } from "../bootstrap.js";
import { createDatabase } from "../client.js";
import { databaseUrlsFromEnv } from "../config.js";
import { migrate } from "../migrate.js";
import { seedDemoData } from "../seed.js";

const urls = databaseUrlsFromEnv();
const database = new URL(urls.app).pathname.slice(1);
if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`Refusing to reset a database named ${JSON.stringify(database)}`);

const admin = new pg.Client({ connectionString: urls.admin });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
await admin.end();

await bootstrapDatabase({ adminUrl: urls.admin, database });
const { applied } = await migrate(urls.migration);
const db = createDatabase({ url: urls.app });
try {
  await seedDemoData(db);
} finally {
  await db.close();
}
console.log(`Database "${database}" reset: ${applied.length} migration(s) applied, demo data loaded.`);
