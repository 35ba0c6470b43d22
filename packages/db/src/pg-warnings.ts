/**
 * Prisma's pg adapter sends a transaction's statements without waiting for the previous one,
 * so pg 8.19+ warns ("Calling client.query() when the client is already executing a query")
 * on every interactive transaction. pg 8 queues such queries correctly, so the warning is only
 * noise; pg 9 will refuse them, which is why pg stays pinned at 8 (pnpm-workspace.yaml) until
 * the adapter awaits each query (upstream: brianc/node-postgres#3612, prisma/prisma adapter-pg).
 * This drops that one warning and lets every other warning through.
 */
const PG_QUEUED_QUERY_WARNING = "Calling client.query() when the client is already executing a query";

let installed = false;

export function silencePgQueuedQueryWarning(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning?.message;
    if (typeof text === "string" && text.includes(PG_QUEUED_QUERY_WARNING)) return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}
