// The HTTP benchmark: a dedicated data set, the production gateway with the worker count it runs
// with, and floors served by the same number of workers, driven over HTTP at 1, 16 and 100
// connections. Numbers are comparable within one run only; ratios to the floors are the point.
//   pnpm --filter @aihub/gateway bench [--quick] [--tiny] [--seconds 10] [--connections 1,16,100] [--only regexp] [--out file.json]
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import net from "node:net";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BENCH_MODEL, type BenchOrg, type Dataset, prepareDataset, SIZES } from "./dataset.js";
import { type LoadResult, type RequestSpec, runLoad, type SequenceStep } from "./load.js";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    tiny: { type: "boolean", default: false },
    seconds: { type: "string" },
    connections: { type: "string", default: "1,16,100" },
    /** The console (apps/web's production build through its launcher, one process) beside the gateway; off with --tiny. */
    console: { type: "boolean" },
    /** Only the paths whose name matches this regular expression (the floors always run). */
    only: { type: "string" },
    out: { type: "string", default: fileURLToPath(new URL("../../../reports/bench-http.json", import.meta.url)) },
  },
});
process.env.API_KEY_SECRET ||= "bench-api-key-secret-fixed-for-every-bench-process";
// Production servers refuse to start without it (32 bytes, base64); the bench stores no provider credential.
process.env.PROVIDER_SECRET_KEY ||= Buffer.from("bench-provider-key-32-bytes-fix!").toString("base64");
const seconds = Number(args.seconds ?? (args.quick || args.tiny ? 3 : 10));
const connectionLevels = args.connections.split(",").map(Number);
const workers = Number(process.env.GATEWAY_WORKERS) || availableParallelism();
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const log = (line: string) => process.stderr.write(`${line}\n`);
const gatewayMain = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const floorServer = fileURLToPath(new URL("./floor-server.ts", import.meta.url));
const consoleLauncher = fileURLToPath(new URL("../../web/launch.mjs", import.meta.url));
const consoleBuilt = existsSync(fileURLToPath(new URL("../../web/.next/BUILD_ID", import.meta.url)));
const withConsole = (args.console ?? !args.tiny) && consoleBuilt;
const packageDir = fileURLToPath(new URL("..", import.meta.url));

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output()}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${output()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function start(command: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(process.execPath, command, { cwd: packageDir, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", (chunk) => {
    output = (output + chunk).slice(-4000);
  });
  return { child, output: () => output };
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const trpcGet = (procedure: string, input: unknown) => `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
const bearer = (org: BenchOrg) => ({ authorization: `Bearer ${pick(org.keys)}` });
const trpcPost = (procedure: string, input: unknown, org: BenchOrg) => ({
  method: "POST" as const,
  path: `/trpc/${procedure}`,
  body: JSON.stringify({ json: input }),
  headers: bearer(org),
});
/** A reservation, then its settlement on the same connection (two requests per pair; the rate counts both). */
function reserveThenSettle(orgOf: () => BenchOrg): SequenceStep[] {
  return [
    {
      request: (context) => {
        const org = orgOf();
        context.org = org;
        return trpcPost("usage.reserve", { orgId: org.id, cost: "5000" }, org);
      },
      onResponse: (body, context) => {
        context.reservationId = (
          JSON.parse(body) as { result: { data: { json: { reservationId: string } } } }
        ).result.data.json.reservationId;
      },
    },
    {
      request: (context) => {
        const org = context.org as BenchOrg;
        return trpcPost(
          "usage.settle",
          { orgId: org.id, reservationId: context.reservationId, model: BENCH_MODEL, inputTokens: 1000, outputTokens: 500 },
          org,
        );
      },
    },
  ];
}

interface PathSpec {
  name: string;
  floor: "F_http" | "F_http_pg" | "F_http_tx" | null;
  target: "gateway" | "floor" | "console";
  spec: (orgs: BenchOrg[]) => RequestSpec | SequenceStep[];
}

function paths(hot: BenchOrg): PathSpec[] {
  return [
    { name: "F_http (bare node:http)", floor: null, target: "floor", spec: () => () => ({ path: "/http" }) },
    { name: "F_http_pg (+ one query, app pool)", floor: null, target: "floor", spec: () => () => ({ path: "/pg" }) },
    { name: "F_http_tx (+ BEGIN; set_config; SELECT; COMMIT)", floor: null, target: "floor", spec: () => () => ({ path: "/tx" }) },
    { name: "gateway /healthz", floor: "F_http", target: "gateway", spec: () => () => ({ path: "/healthz" }) },
    {
      name: "tRPC health (one query, no key)",
      floor: "F_http_pg",
      target: "gateway",
      spec: () => () => ({ path: trpcGet("health", undefined) }),
    },
    {
      name: "console /api/trpc/health (Next route handler, one process)",
      floor: "F_http_pg",
      target: "console",
      spec: () => () => ({ path: `/api${trpcGet("health", undefined)}` }),
    },
    {
      name: "organization.get, key per request, spread over orgs",
      floor: "F_http_tx",
      target: "gateway",
      spec: (orgs) => () => {
        const org = pick(orgs);
        return { path: trpcGet("organization.get", { orgId: org.id }), headers: bearer(org) };
      },
    },
    {
      name: "organization.get, one hot org",
      floor: "F_http_tx",
      target: "gateway",
      spec: () => () => ({ path: trpcGet("organization.get", { orgId: hot.id }), headers: bearer(hot) }),
    },
    {
      name: "member.list first page, spread",
      floor: "F_http_tx",
      target: "gateway",
      spec: (orgs) => () => {
        const org = pick(orgs);
        return { path: trpcGet("member.list", { orgId: org.id }), headers: bearer(org) };
      },
    },
    {
      name: "team.list (tree), spread",
      floor: "F_http_tx",
      target: "gateway",
      spec: (orgs) => () => {
        const org = pick(orgs);
        return { path: trpcGet("team.list", { orgId: org.id }), headers: bearer(org) };
      },
    },
    {
      name: "permission.explain, one subject (cached)",
      floor: "F_http_tx",
      target: "gateway",
      spec: () => () => ({
        path: trpcGet("permission.explain", { orgId: hot.id, subject: { userId: hot.userIds[5] }, permission: "team:update" }),
        headers: bearer(hot),
      }),
    },
    {
      name: "permission.explain, any subject of any org (mostly uncached)",
      floor: "F_http_tx",
      target: "gateway",
      spec: (orgs) => () => {
        const org = pick(orgs);
        return {
          path: trpcGet("permission.explain", { orgId: org.id, subject: { userId: pick(org.userIds) }, permission: "team:update" }),
          headers: bearer(org),
        };
      },
    },
    {
      name: "usage.checkBudget (key, rate limit, budget path), spread",
      floor: "F_http_tx",
      target: "gateway",
      spec: (orgs) => () => {
        const org = pick(orgs);
        return { path: trpcGet("usage.checkBudget", { orgId: org.id, cost: "5000" }), headers: bearer(org) };
      },
    },
    {
      name: "usage.reserve + usage.settle, spread",
      floor: "F_http_pg",
      target: "gateway",
      spec: (orgs) => reserveThenSettle(() => pick(orgs)),
    },
    {
      name: "usage.reserve + usage.settle, one hot org",
      floor: "F_http_pg",
      target: "gateway",
      spec: () => reserveThenSettle(() => hot),
    },
    {
      // SPEC §8: p95 ≤ 10 × F_http_tx's latency over 1,000,000 records (rollups, not scans).
      name: "usage.breakdown by team, this month, spread",
      floor: "F_http_tx",
      target: "gateway",
      spec: (orgs) => () => {
        const org = pick(orgs);
        const today = new Date().toISOString().slice(0, 10);
        return {
          path: trpcGet("usage.breakdown", { orgId: org.id, from: `${today.slice(0, 8)}01`, to: today, by: "team" }),
          headers: bearer(org),
        };
      },
    },
    {
      name: "usage.record (priced model, idempotency key), spread",
      floor: "F_http_pg",
      target: "gateway",
      spec: (orgs) => () => {
        const org = pick(orgs);
        return trpcPost(
          "usage.record",
          { orgId: org.id, model: BENCH_MODEL, inputTokens: 1000, outputTokens: 500, idempotencyKey: randomUUID() },
          org,
        );
      },
    },
  ];
}

interface Row extends LoadResult {
  path: string;
  floor: string | null;
  /** Throughput as a share of the floor's at the same connection count. */
  throughputVsFloor: number | null;
  p50VsFloor: number | null;
  /**
   * The gateway's event-loop lag during the measurement (prom-client's histogram, reset at every
   * scrape: scraped before and after), p99 averaged over the workers and the worst, ms.
   */
  eventLoopLagP99Ms: number | null;
  eventLoopLagMaxMs: number | null;
}

/** Reads the gateway's event-loop lag gauges (and so resets their histogram). */
async function eventLoopLag(base: string): Promise<{ p99: number; max: number } | null> {
  const text = await fetch(`${base}/metrics`).then(
    (r) => r.text(),
    () => "",
  );
  const gauge = (name: string) =>
    Number(new RegExp(`^aihub_gateway_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, "m").exec(text)?.[1]) * 1000;
  const p99 = gauge("p99");
  const max = gauge("max");
  return Number.isFinite(p99) && Number.isFinite(max) ? { p99, max } : null;
}

function printTable(rows: Row[]): void {
  const header = [
    "path",
    "conns",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "errors",
    "vs floor (req/s)",
    "p50 × floor",
    "loop lag p99/max ms",
  ];
  const lines = rows.map((r) => [
    r.path,
    String(r.connections),
    r.perSecond.toFixed(0),
    r.p50.toFixed(2),
    r.p95.toFixed(2),
    r.p99.toFixed(2),
    String(r.errors),
    r.throughputVsFloor === null ? "" : `${(r.throughputVsFloor * 100).toFixed(0)}% of ${r.floor}`,
    r.p50VsFloor === null ? "" : `${r.p50VsFloor.toFixed(2)}×`,
    r.eventLoopLagP99Ms === null ? "" : `${r.eventLoopLagP99Ms.toFixed(1)} / ${(r.eventLoopLagMaxMs ?? 0).toFixed(1)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(format(line));
}

const dataset: Dataset = await prepareDataset(args.tiny ? SIZES.tiny : SIZES.full, { reuse: args.quick || args.tiny, log });
const hot = dataset.orgs[0] as BenchOrg;
const [gatewayPort, floorPort] = await Promise.all([freePort(), freePort()]);
const gateway = start([gatewayMain], {
  DATABASE_URL: dataset.appUrl,
  REDIS_URL: redisUrl,
  GATEWAY_PORT: String(gatewayPort),
  GATEWAY_WORKERS: String(workers),
  LOG_LEVEL: "warn",
  NODE_ENV: "production",
});
const floor = start(["--import", "tsx", floorServer], {
  BENCH_DATABASE_URL: dataset.appUrl,
  BENCH_PORT: String(floorPort),
  BENCH_WORKERS: String(workers),
  BENCH_ORG_ID: hot.id,
  BENCH_MEMBER_ID: hot.memberIds[0] as string,
});
const consolePort = await freePort();
// The console's production server on the same data set (its launcher: one process, no gateway beside it).
const consoleServer = withConsole
  ? start([consoleLauncher], {
      DATABASE_URL: dataset.appUrl,
      REDIS_URL: redisUrl,
      PORT: String(consolePort),
      GATEWAY_ENABLED: "false",
      NODE_ENV: "production",
      NEXTAUTH_URL: `http://127.0.0.1:${consolePort}`,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET || "bench-nextauth-secret-fixed-for-every-bench-process",
    })
  : null;
const bases = {
  gateway: `http://127.0.0.1:${gatewayPort}`,
  floor: `http://127.0.0.1:${floorPort}`,
  console: `http://127.0.0.1:${consolePort}`,
};
try {
  await Promise.all([
    waitUntilServing(`${bases.gateway}/readyz`, gateway.child, gateway.output),
    waitUntilServing(`${bases.floor}/http`, floor.child, floor.output),
    consoleServer
      ? waitUntilServing(`${bases.console}/api${trpcGet("health", undefined)}`, consoleServer.child, consoleServer.output)
      : null,
  ]);
  if (!withConsole)
    log(
      consoleBuilt
        ? "console not measured (--tiny; --console to add it)"
        : "console not measured: no production build (pnpm --filter @aihub/web build)",
    );
  log(`servers up: gateway and floors with ${workers} worker(s) each; ${seconds} s per measurement`);
  // Every key used once before anything is measured, so key verification runs with warm caches
  // (the spec's condition), as it does in a running system; a key's cache entry lives 30 s, so
  // the spread paths still see the misses of that churn.
  const allKeys = dataset.orgs.flatMap((org) => org.keys.map((key) => ({ org, key })));
  let next = 0;
  const warm = await runLoad(
    bases.gateway,
    () => {
      const { org, key } = allKeys[next++ % allKeys.length] as { org: BenchOrg; key: string };
      return { path: trpcGet("organization.get", { orgId: org.id }), headers: { authorization: `Bearer ${key}` } };
    },
    16,
    Math.min(10, Math.max(0.5, allKeys.length / 1000)),
  );
  log(`warmed ${Math.min(next, allKeys.length)} of ${allKeys.length} keys (${warm.errors} errors)`);
  const rows: Row[] = [];
  const floors = new Map<string, LoadResult>();
  const only = args.only ? new RegExp(args.only, "i") : null;
  const all = paths(hot).filter((p) => (p.floor === null || !only || only.test(p.name)) && (p.target !== "console" || withConsole));
  let done = 0;
  const total = all.length * connectionLevels.length;
  for (const path of all) {
    const spec = path.spec(dataset.orgs);
    await runLoad(bases[path.target], spec, 4, Math.min(1, seconds)); // warm caches and connections
    for (const connections of connectionLevels) {
      log(`[${++done}/${total}] ${path.name} @ ${connections} connection(s)`);
      if (path.target === "gateway") await eventLoopLag(bases.gateway);
      const result = await runLoad(bases[path.target], spec, connections, seconds);
      const lag = path.target === "gateway" ? await eventLoopLag(bases.gateway) : null;
      if (path.floor === null) floors.set(`${path.name.split(" ")[0]}@${connections}`, result);
      const floorResult = path.floor ? floors.get(`${path.floor}@${connections}`) : undefined;
      rows.push({
        ...result,
        path: path.name,
        floor: path.floor,
        throughputVsFloor: floorResult ? result.perSecond / floorResult.perSecond : null,
        p50VsFloor: floorResult ? result.p50 / floorResult.p50 : null,
        eventLoopLagP99Ms: lag?.p99 ?? null,
        eventLoopLagMaxMs: lag?.max ?? null,
      });
    }
  }
  printTable(rows);
  const report = {
    at: new Date().toISOString(),
    workers,
    secondsPerMeasurement: seconds,
    dataset: { size: dataset.size.name, reused: dataset.reused, seedSeconds: dataset.seedSeconds, ...dataset.counts },
    rows,
  };
  await mkdir(dirname(args.out), { recursive: true });
  await writeFile(args.out, `${JSON.stringify(report, null, 2)}\n`);
  log(`written: ${args.out}`);
} finally {
  const children = [gateway.child, floor.child, ...(consoleServer ? [consoleServer.child] : [])];
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((child) => (child.exitCode === null ? once(child, "exit") : null)));
}
