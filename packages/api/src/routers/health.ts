import type { Database } from "@aihub/db";
import { publicProcedure } from "../procedures.js";
import { ZHealthOutput } from "../schemas/common.js";

export interface DatabaseHealth {
  reachable: boolean;
  backend: Database["backend"];
  serverVersion: string | null;
  latencyMs: number | null;
}

/** One round trip through the app's own pool and role: proves the whole path works. */
export async function checkDatabase(db: Database): Promise<DatabaseHealth> {
  const started = performance.now();
  try {
    // Straight through the pool (no Prisma query path): a health check should cost the round trip only.
    const { rows } = await db.pool.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    const row = rows[0];
    return {
      reachable: true,
      backend: db.backend,
      serverVersion: row?.version ?? null,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
    };
  } catch {
    return { reachable: false, backend: db.backend, serverVersion: null, latencyMs: null };
  }
}

export const healthProcedure = publicProcedure.output(ZHealthOutput).query(async ({ ctx }) => {
  const database = await checkDatabase(ctx.db);
  return { status: database.reachable ? ("ok" as const) : ("degraded" as const), database, checkedAt: new Date() };
});
