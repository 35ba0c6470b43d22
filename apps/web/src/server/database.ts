import "server-only";

import type { Database } from "@aihub/db";

type DbModule = typeof import("@aihub/db");
let dbModule: Promise<DbModule> | undefined;

/**
 * The process's database handle, with `@aihub/db` loaded by Node at run time, never bundled.
 *
 * Why not a static import plus `serverExternalPackages`: Turbopack only externalises
 * packages it resolves inside node_modules, and pnpm links workspace packages to their
 * source folder, so the setting is ignored for `@aihub/db`. Bundled, the build fails: its
 * migration runner's `new URL("../../../prisma/migrations", import.meta.url)` is taken for
 * an asset import. Loaded this way, Prisma and pg also stay out of the bundle.
 */
export async function getDatabase(): Promise<Database> {
  dbModule ??= import(/* webpackIgnore: true */ "@aihub/db");
  return (await dbModule).getDatabase();
}
