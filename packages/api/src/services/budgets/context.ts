import type { Database } from "@aihub/db";

/** What the spend services need: the database, the organization, and a clock (injectable for tests). */
export interface SpendContext {
  db: Database;
  orgId: string;
  clock?: () => Date;
}

export const nowOf = (ctx: SpendContext): Date => (ctx.clock ? ctx.clock() : new Date());

/** Many calls may queue for a connection at once; they wait rather than fail. */
export const SPEND_TX = { maxWait: 30_000, timeout: 30_000 } as const;
