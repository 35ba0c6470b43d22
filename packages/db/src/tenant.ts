import { APP_ROLE } from "./config.js";
import type { Prisma, PrismaClient } from "./generated/prisma/client.js";

/** Whose rows a query may see. `orgId` scopes tenant tables; `userId` adds the user's own memberships. */
export interface TenantContext {
  orgId: string | null;
  userId?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkedId(id: string | null | undefined, name: string): string {
  if (id == null) return "";
  // A malformed id would make every policy's ::uuid cast raise; refuse it here instead.
  if (!UUID.test(id)) throw new TypeError(`${name} must be a UUID, got ${JSON.stringify(id)}`);
  return id;
}

/**
 * One statement that makes the rest of the transaction run as the app role with the
 * tenant's settings. All three are transaction-local (`true`), so nothing survives COMMIT
 * on a pooled connection. Setting the role matters on the embedded database, where every
 * connection is the superuser; on PostgreSQL the app role merely sets itself.
 */
function setTenantStatement(client: { $executeRawUnsafe: PrismaClient["$executeRawUnsafe"] }, ctx: TenantContext) {
  return client.$executeRawUnsafe(
    "SELECT set_config('role', $1, true), set_config('app.current_org_id', $2, true), set_config('app.current_user_id', $3, true)",
    APP_ROLE,
    checkedId(ctx.orgId, "orgId"),
    checkedId(ctx.userId, "userId"),
  );
}

/**
 * A client whose every model operation and raw query runs in its own short transaction
 * scoped to `ctx`. Its `$transaction` is refused: a batch or interactive transaction through
 * this extension is not atomic, so multi-statement work goes through {@link withTenant}.
 */
export function scopeToTenant(base: PrismaClient, ctx: TenantContext): TenantClient {
  // Validate eagerly so a bad id fails where the client is made, not at the first query.
  checkedId(ctx.orgId, "orgId");
  checkedId(ctx.userId, "userId");
  const scoped = base.$extends({
    name: "tenant",
    query: {
      async $allOperations({ args, query }) {
        const [, result] = await base.$transaction([setTenantStatement(base, ctx), query(args)]);
        return result;
      },
    },
    client: {
      $transaction(..._args: unknown[]): never {
        throw new Error("A tenant client cannot open a transaction; use withTenant(ctx, tx => …) instead.");
      },
    },
  });
  // The extension changes no model's types, so the plain client's types describe it exactly
  // (and stay nameable in other packages' declaration files).
  return scoped as unknown as TenantClient;
}

/** A Prisma client scoped to one tenant; `$transaction` is refused (use withTenant). */
export type TenantClient = Omit<PrismaClient, "$transaction" | "$extends"> & {
  $transaction(...args: unknown[]): never;
};
export type TenantTransaction = Prisma.TransactionClient;

export interface TenantTransactionOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  /** Milliseconds the whole transaction may take (Prisma's default is 5,000). */
  timeout?: number;
  /** Milliseconds to wait for a connection. */
  maxWait?: number;
}

/**
 * Runs `work` in one interactive transaction scoped to `ctx`: everything it does commits
 * together or not at all, and every statement sees only the tenant's rows.
 */
export function withTenant<T>(
  base: PrismaClient,
  ctx: TenantContext,
  work: (tx: TenantTransaction) => Promise<T>,
  options: TenantTransactionOptions = {},
): Promise<T> {
  checkedId(ctx.orgId, "orgId");
  checkedId(ctx.userId, "userId");
  return base.$transaction(async (tx) => {
    await setTenantStatement(tx, ctx);
    return work(tx);
  }, options);
}
