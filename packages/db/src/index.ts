export { APP_ROLE, OWNER_ROLE, databaseUrlsFromEnv, withDatabase, type DatabaseUrls } from "./config.js";
export { createDatabase, type Database, type DatabaseBackend, type DatabaseOptions } from "./client.js";
export { scopeToTenant, withTenant, type TenantClient, type TenantContext, type TenantTransaction } from "./tenant.js";
export { migrate, readMigrations, MIGRATIONS_DIR, MigrationError, type MigrateResult } from "./migrate.js";
export { bootstrapDatabase } from "./bootstrap.js";
export { hashPassword, verifyPassword } from "./passwords.js";
export { seedDemoData, DEMO_PASSWORD } from "./seed.js";
export { Prisma, PrismaClient } from "./generated/prisma/client.js";
export type * from "./generated/prisma/client.js";
