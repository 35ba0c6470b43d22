/** Names fixed by the migrations: they grant to the app role and run as the owner role. */
export const APP_ROLE = "aihub_app";
export const OWNER_ROLE = "aihub_owner";

const DEFAULT_HOST = "127.0.0.1:5432";
const DEFAULT_DATABASE = "aihub";

/** Where PostgreSQL is, as whom each kind of work connects. Read once from the environment. */
export interface DatabaseUrls {
  /** The app role: every request runs as it, under row-level security. */
  app: string;
  /** The owner role: migrations run as it. */
  migration: string;
  /** A superuser, only for the bootstrap that creates roles and the database. */
  admin: string;
}

export function databaseUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseUrls {
  const app = env.DATABASE_URL ?? `postgresql://${APP_ROLE}:${APP_ROLE}@${DEFAULT_HOST}/${DEFAULT_DATABASE}`;
  const database = new URL(app).pathname.slice(1) || DEFAULT_DATABASE;
  const host = new URL(app).host || DEFAULT_HOST;
  return {
    app,
    migration: env.MIGRATION_DATABASE_URL ?? `postgresql://${OWNER_ROLE}:${OWNER_ROLE}@${host}/${database}`,
    admin: env.DATABASE_ADMIN_URL ?? `postgresql://postgres@${host}/postgres`,
  };
}

/** The same URL pointing at another database (tests clone one per file). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
