import { createDatabase, type Database, type DatabaseBackend } from "./client.js";
import { databaseUrlsFromEnv } from "./config.js";

const KEY = Symbol.for("aihub.database");
type Holder = { [KEY]?: Database };

/**
 * The process's one database handle, made from the environment on first use. Kept on
 * globalThis so that a bundler's second copy of this module (Next) and dev hot reloads share
 * one pool; on the embedded database that pool must be the only one.
 */
export function getDatabase(): Database {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const backend: DatabaseBackend = process.env.AIHUB_DATABASE_BACKEND === "pglite" ? "pglite" : "postgresql";
    const poolMax = Number(process.env.DATABASE_POOL_MAX) || undefined;
    holder[KEY] = createDatabase({ url: databaseUrlsFromEnv().app, backend, poolMax });
  }
  return holder[KEY];
}
