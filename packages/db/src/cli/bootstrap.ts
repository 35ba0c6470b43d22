// Creates the roles and the database named in DATABASE_URL. Needs a superuser (DATABASE_ADMIN_URL).
import { bootstrapDatabase } from "../bootstrap.js";
import { databaseUrlsFromEnv } from "../config.js";

const urls = databaseUrlsFromEnv();
const app = new URL(urls.app);
const owner = new URL(urls.migration);
await bootstrapDatabase({
  adminUrl: urls.admin,
  database: app.pathname.slice(1),
  appPassword: decodeURIComponent(app.password) || undefined,
  ownerPassword: decodeURIComponent(owner.password) || undefined,
});
console.log(`Roles and database "${app.pathname.slice(1)}" are ready on ${app.host}.`);
