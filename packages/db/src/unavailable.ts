/**
 * Whether an error means the database cannot be reached right now — refused or dropped
 * connections, a server shutting down, starting up or restarting, a pool that could not connect
 * in time — rather than anything about the request. Such a call may succeed later unchanged: the
 * API answers 503 (SERVICE_UNAVAILABLE) for it, not 500, and does not retry writes by itself.
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, connection exceptions.
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)|timeout exceeded when trying to connect|Client has encountered a connection error|Can't reach database server|Connection ended unexpectedly/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  // Drivers and Prisma wrap the cause; look a few levels down.
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown };
    if (typeof e.code === "string" && UNAVAILABLE_CODES.has(e.code)) return true;
    if (typeof e.originalCode === "string" && UNAVAILABLE_CODES.has(e.originalCode)) return true;
    if (typeof e.message === "string" && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}
