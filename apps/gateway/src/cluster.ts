import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";
import type { Logger } from "./observability/logger.js";

/**
 * Workers per core: the primary forks them, restarts one that dies (unless they die in a loop),
 * relays /metrics for all of them together, and on SIGTERM/SIGINT lets each drain and waits.
 * Workers share the listening port (the primary hands out connections).
 */
const METRICS_REQUEST = "aihub:metrics:request";
const METRICS_RESPONSE = "aihub:metrics:response";
const RESTART_WINDOW_MS = 10_000;
const MAX_RESTARTS_IN_WINDOW = 5;

type MetricsMessage =
  | { type: typeof METRICS_REQUEST; id: number }
  | { type: typeof METRICS_RESPONSE; id: number; text?: string; error?: string };

export function runPrimary(workers: number, log: Logger): void {
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  const restarts: number[] = [];

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on("message", async (message: MetricsMessage) => {
      if (message?.type !== METRICS_REQUEST) return;
      try {
        worker.send({ type: METRICS_RESPONSE, id: message.id, text: await aggregator.clusterMetrics() });
      } catch (error) {
        worker.send({ type: METRICS_RESPONSE, id: message.id, error: String(error) });
      }
    });
    return worker;
  };

  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && (restarts[0] ?? 0) < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length > MAX_RESTARTS_IN_WINDOW) {
      log.fatal({ workerPid: worker.process.pid, code, signal }, "workers keep dying; stopping");
      process.exit(1);
    }
    log.error({ workerPid: worker.process.pid, code, signal }, "worker died; starting another");
    fork();
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "draining workers");
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    });
  }
  for (let i = 0; i < workers; i++) fork();
}

/** In a worker: this process's registry answers the primary's collection; /metrics asks the primary. */
export function workerMetricsRelay(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one is what installs prom-client's answer to the primary's collection requests.
  new AggregatorRegistry();
  let nextId = 0;
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on("message", (message: MetricsMessage) => {
    if (message?.type !== METRICS_RESPONSE) return;
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.text !== undefined) pending?.resolve(message.text);
    else pending?.reject(new Error(message.error ?? "metrics collection failed"));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      process.send?.({ type: METRICS_REQUEST, id });
    });
}
