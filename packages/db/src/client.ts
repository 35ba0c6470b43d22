import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.js";
import { type SqlValue, tenantBatch, tenantRead } from "./one-trip.js";
import { silencePgQueuedQueryWarning } from "./pg-warnings.js";
import {
  scopeToTenant,
  type TenantClient,
  type TenantContext,
  type TenantTransaction,
  type TenantTransactionOptions,
  withTenant,
} from "./tenant.js";

export type DatabaseBackend = "postgresql" | "pglite";

export interface DatabaseOptions {
  /** A URL for the app role. */
  url: string;
  /**
   * Pool size. The embedded database is a single session, so it must be 1 there: with more,
   * messages of different connections interleave outside transactions.
   */
  poolMax?: number;
  backend?: DatabaseBackend;
}

/** The app's handle on its database: the base client has no tenant context and sees no tenant rows. */
export interface Database {
  readonly backend: DatabaseBackend;
  readonly pool: pg.Pool;
  /** No tenant context: global tables (users, accounts) only. */
  readonly prisma: PrismaClient;
  /** A client whose every query is scoped to the tenant. */
  forTenant(ctx: TenantContext): TenantClient;
  /** An atomic, tenant-scoped interactive transaction. */
  withTenant<T>(ctx: TenantContext, work: (tx: TenantTransaction) => Promise<T>, options?: TenantTransactionOptions): Promise<T>;
  /**
   * A tenant-scoped read in one round trip through the pool (plain SQL; `$n` are inlined as
   * checked or escaped literals): for the hottest reads, where Prisma's transaction costs four.
   */
  tenantRead<Row>(ctx: TenantContext, sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Statements of several tenants, each under its own settings, in one round trip and one transaction. */
  tenantBatch(groups: { ctx: TenantContext; sql: string; params?: readonly SqlValue[] }[]): Promise<void>;
  close(): Promise<void>;
}

export function createDatabase(options: DatabaseOptions): Database {
  // Where a process first opens the database: the adapter's one known-harmless warning goes.
  silencePgQueuedQueryWarning();
  const backend = options.backend ?? "postgresql";
  const pool = new pg.Pool({
    connectionString: options.url,
    max: backend === "pglite" ? 1 : (options.poolMax ?? 10),
    // Fail a request rather than hang it when the database is gone; the pool reconnects later.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client's error (server restart) must not crash the process; the pool drops it.
  pool.on("error", () => {});
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    // With one connection, transactions queue for it: give them time to get their turn.
    transactionOptions: backend === "pglite" ? { maxWait: 30_000, timeout: 30_000 } : undefined,
  });
  return {
    backend,
    pool,
    prisma,
    forTenant: (ctx) => scopeToTenant(prisma, ctx),
    withTenant: (ctx, work, txOptions) => withTenant(prisma, ctx, work, txOptions),
    tenantRead: (ctx, sql, params) => tenantRead(pool, ctx, sql, params),
    tenantBatch: (groups) => tenantBatch(pool, groups),
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}
