// Standalone gateway against the PostgreSQL in DATABASE_URL, one worker per core (GATEWAY_WORKERS
// overrides). With no database configured, `pnpm start` serves the gateway next to the console on
// the embedded database, in one process.
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { flushLastUsed, getStore, type JobRunner, startJobs } from "@aihub/api";
import { ensureSecrets, MissingSecretError, parseTrustProxy, TrustProxyError, WeakSecretError } from "@aihub/api/config";
import { getDatabase } from "@aihub/db";
import { runPrimary, workerMetricsRelay } from "./cluster.js";
import { createGateway, createGatewayMetrics, createLogger, listen } from "./server.js";

// `node dist/main.js` is how it runs in production; `pnpm dev` says development.
// (Written through a plain record: Next's global types, reachable through the REST mirror's
// types, declare NODE_ENV read-only.)
(process.env as Record<string, string | undefined>).NODE_ENV ??= "production";
const log = createLogger();

if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set. Set it, or run `pnpm start`, which serves the gateway on the embedded database.");
  process.exit(1);
}

// The gateway hashes API keys (API_KEY_SECRET) and decrypts provider credentials for the model
// routes (PROVIDER_SECRET_KEY); it has no sessions. Which
// proxies' X-Forwarded-For to believe: TRUST_PROXY, as for the console.
let trustProxy: ReturnType<typeof parseTrustProxy>;
try {
  ensureSecrets({ names: ["API_KEY_SECRET", "PROVIDER_SECRET_KEY"] });
  trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
} catch (error) {
  if (error instanceof MissingSecretError || error instanceof WeakSecretError || error instanceof TrustProxyError) {
    console.error(`Not starting: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

const workers = Math.max(1, Number(process.env.GATEWAY_WORKERS) || availableParallelism());
const port = Number(process.env.GATEWAY_PORT ?? 4000);
const host = process.env.GATEWAY_HOST ?? "127.0.0.1";
const shutdownTimeoutMs = Number(process.env.GATEWAY_SHUTDOWN_TIMEOUT_MS) || 10_000;

// Budget jobs run once per host: in the primary when there are workers, else in the only process.
// Each job takes its advisory lock, so several hosts are safe too (JOBS_ENABLED=0 turns them off).
const jobLog = (level: "info" | "error", message: string, data?: Record<string, unknown>) => log[level](data ?? {}, `[jobs] ${message}`);
let jobs: JobRunner | null = null;
if (workers > 1 && cluster.isPrimary) {
  log.info({ workers, port, host }, "starting gateway workers");
  jobs = startJobs(getDatabase(), { log: jobLog });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void jobs?.stop());
  runPrimary(workers, log);
} else {
  const db = getDatabase();
  const store = getStore();
  // Listen only once Redis answers (or is known down), so the first requests are counted
  // across processes rather than by this process's fallback limiter.
  if (!(await store.ready(2_000))) log.warn("The store (REDIS_URL) does not answer: rate limits and caches are per process until it does");
  const metrics = createGatewayMetrics();
  const gateway = createGateway({
    db,
    store,
    trustProxy,
    logger: log,
    metrics,
    collectMetrics: cluster.isWorker ? workerMetricsRelay(metrics.registry) : undefined,
  });
  if (cluster.isPrimary) jobs = startJobs(db, { log: jobLog });
  const bound = await listen(gateway.server, port, host);
  log.info(
    { port: bound, worker: cluster.isWorker ? cluster.worker?.id : undefined },
    `Gateway listening on http://${host}:${bound} (/trpc, /v1, /healthz, /readyz, /metrics)`,
  );

  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      const [{ cut }] = await Promise.all([gateway.drain(shutdownTimeoutMs), jobs?.stop()]);
      log.info({ signal, cut }, cut ? "stopped; connections still busy at the deadline were cut" : "stopped after draining");
      await flushLastUsed(); // keys' last use noted but not yet written
      await db.close().catch(() => {});
      process.exit(0);
    });
  }
}
