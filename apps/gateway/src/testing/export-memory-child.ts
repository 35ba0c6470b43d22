/**
 * A gateway in a process of its own, for measuring what serving an export costs: started by
 * audit-export.int.test.ts with a small heap (`--max-old-space-size`), it serves the database
 * in AIHUB_CHILD_DATABASE_URL, samples its memory every 10 ms, and reports the peaks over IPC.
 */
import { createMemoryStore } from "@aihub/api";
import { createDatabase } from "@aihub/db";
import { createGatewayServer, listen } from "../server.js";

const url = process.env.AIHUB_CHILD_DATABASE_URL;
if (!url || !process.send) throw new Error("run by audit-export.int.test.ts, with AIHUB_CHILD_DATABASE_URL and an IPC channel");
const db = createDatabase({ url, poolMax: 4 });
const server = createGatewayServer({ db, store: createMemoryStore() });
const port = await listen(server, 0);

let peakHeap = 0;
let peakRss = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
};
const timer = setInterval(sample, 10);
const send = (message: unknown) => process.send?.(message);

process.on("message", async (message) => {
  if (message === "reset") {
    // After a warm-up request: peaks from here on are the export's, on top of a loaded server.
    (globalThis as { gc?: () => void }).gc?.();
    peakHeap = 0;
    peakRss = 0;
    sample();
    send({ kind: "reset", heapUsed: process.memoryUsage().heapUsed });
  } else if (message === "report") {
    sample();
    send({ kind: "report", peakHeap, peakRss, heapLimit: (await import("node:v8")).getHeapStatistics().heap_size_limit });
  } else if (message === "exit") {
    clearInterval(timer);
    server.close();
    await db.close();
    process.exit(0);
  }
});
send({ kind: "ready", port });
