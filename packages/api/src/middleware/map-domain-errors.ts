import { isDatabaseUnavailable } from "@aihub/db";
import { TRPCError } from "@trpc/server";
import { DomainError, toTRPCError } from "../errors.js";
import { middleware } from "../trpc.js";

/** Prisma's codes for a unique violation and a missing record, without importing Prisma. */
function prismaCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^P\d{4}$/.test(code) ? code : undefined;
}

/**
 * Guarantees: whatever a service throws leaves as a typed tRPC error — a DomainError with its
 * code and message, a unique violation or a write conflict as CONFLICT, a vanished or missing
 * referenced record as NOT_FOUND, an unreachable database as SERVICE_UNAVAILABLE (503: the same
 * call may succeed later; nothing retries it here, a write is not repeated blindly), anything
 * else as INTERNAL_SERVER_ERROR (whose message the error formatter masks).
 */
export const mapDomainErrors = middleware(async ({ next }) => {
  const result = await next();
  if (result.ok || result.error.code !== "INTERNAL_SERVER_ERROR") return result;
  const cause = result.error.cause;
  if (cause instanceof DomainError) throw toTRPCError(cause);
  const code = prismaCode(cause);
  if (code === "P2002") throw new TRPCError({ code: "CONFLICT", message: "That already exists", cause });
  if (code === "P2025") throw new TRPCError({ code: "NOT_FOUND", message: "Not found", cause });
  if (code === "P2003") throw new TRPCError({ code: "NOT_FOUND", message: "Something this refers to does not exist (any more)", cause });
  if (code === "P2034") throw new TRPCError({ code: "CONFLICT", message: "This conflicted with a simultaneous change; try again", cause });
  if (isDatabaseUnavailable(cause))
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The database is unavailable right now; try again shortly", cause });
  return result;
});
