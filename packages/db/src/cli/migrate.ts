// Applies pending migrations as the owner role (MIGRATION_DATABASE_URL).
import { databaseUrlsFromEnv } from "../config.js";
import { migrate } from "../migrate.js";

const { applied, alreadyApplied } = await migrate(databaseUrlsFromEnv().migration);
for (const name of applied) console.log(`applied ${name}`);
console.log(`${applied.length} applied, ${alreadyApplied.length} already applied.`);
