// The model pass-through's overhead: chat completions sent to the local fake OpenAI-compatible
// upstream directly, and the same through the gateway (key, rate limit, model check, budget
// reservation, forwarding, settlement), at 1, 16 and 100 connections; then a streamed call's
// time to first token, directly and through the gateway. One in-process gateway beside the fake
// upstream and the load generator: the added milliseconds are the point, not the throughput.
//   pnpm --filter @aihub/gateway bench:models [--seconds 3] [--connections 1,16,100]
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: { seconds: { type: "string", default: "3" }, connections: { type: "string", default: "1,16,100" } },
});
process.env.API_KEY_SECRET ||= "bench-api-key-secret-fixed-for-every-bench-process";
process.env.PROVIDER_SECRET_KEY ||= Buffer.from("bench-provider-key-32-bytes-fix!").toString("base64");
// The fake upstream listens on loopback.
process.env.PROVIDER_ALLOW_PRIVATE = "1";
process.env.LOG_LEVEL ||= "warn";

const { createModelWorld, MODEL } = await import("../src/testing/model-world.js");
const { runLoad } = await import("./load.js");

const seconds = Number(args.seconds);
const levels = args.connections.split(",").map(Number);
const world = await createModelWorld();
const key = await world.key({ rateLimitPerMinute: 1_000_000 });
const body = (stream: boolean) =>
  JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Say hello in three words." }], max_tokens: 32, stream });
const upstream = new URL(world.fake.url);
const direct = {
  base: upstream.origin,
  path: `${upstream.pathname}/chat/completions`,
  headers: { authorization: "Bearer sk-fake-provider-0000" },
};
const gateway = { base: world.base, path: "/v1/chat/completions", headers: { authorization: `Bearer ${key}` } };

const rows: string[] = [];
const line = (cells: (string | number)[]) => rows.push(cells.map((c) => String(c).padStart(10)).join(" "));
line(["conns", "direct p50", "p95", "p99", "gw p50", "p95", "p99", "added p50", "p95", "p99", "gw req/s", "errors"]);
for (const connections of levels) {
  world.fake.reset();
  const spec = (target: typeof direct) => () => ({
    method: "POST" as const,
    path: target.path,
    body: body(false),
    headers: { ...target.headers, "content-type": "application/json" },
  });
  process.stderr.write(`chat completions @ ${connections} connection(s)\n`);
  const d = await runLoad(direct.base, spec(direct), connections, seconds);
  world.fake.reset();
  const g = await runLoad(gateway.base, spec(gateway), connections, seconds);
  const added = (a: number, b: number) => (a - b).toFixed(2);
  line([
    connections,
    d.p50.toFixed(2),
    d.p95.toFixed(2),
    d.p99.toFixed(2),
    g.p50.toFixed(2),
    g.p95.toFixed(2),
    g.p99.toFixed(2),
    added(g.p50, d.p50),
    added(g.p95, d.p95),
    added(g.p99, d.p99),
    Math.round(g.perSecond),
    d.errors + g.errors,
  ]);
}

/** Time to the first streamed piece of content, over `count` calls one after another. */
async function timeToFirstToken(target: typeof direct, base: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(`${base}${target.path}`, {
      method: "POST",
      headers: { ...target.headers, "content-type": "application/json" },
      body: body(true),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let seen = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
      if (seen.includes('"content"')) {
        times.push(performance.now() - started);
        break;
      }
    }
    await reader.cancel().catch(() => {});
  }
  return times.sort((a, b) => a - b);
}
world.fake.reset();
world.fake.behaviour.pieceDelayMs = 0;
const ttftDirect = await timeToFirstToken(direct, direct.base, 200);
world.fake.reset();
const ttftGateway = await timeToFirstToken(gateway, gateway.base, 200);
const at = (list: number[], p: number) => (list[Math.min(list.length - 1, Math.floor((list.length * p) / 100))] as number).toFixed(2);

console.log(rows.join("\n"));
console.log(
  `\ntime to first token, 200 streamed calls one at a time (ms): direct p50 ${at(ttftDirect, 50)} p95 ${at(ttftDirect, 95)}; ` +
    `through the gateway p50 ${at(ttftGateway, 50)} p95 ${at(ttftGateway, 95)}; added p50 ${(Number(at(ttftGateway, 50)) - Number(at(ttftDirect, 50))).toFixed(2)}`,
);
await world.close();
process.exit(0);
