// The floors: what a bare Node HTTP handler costs (F_http), plus one query through the app's
// pool and driver (F_http_pg), plus a tenant transaction (F_http_tx: BEGIN; set_config; SELECT
// by key; COMMIT — four round trips on one pooled connection). Same worker count as the gateway.
//   BENCH_DATABASE_URL=… BENCH_PORT=… BENCH_WORKERS=… BENCH_ORG_ID=… BENCH_MEMBER_ID=… node --import tsx floor-server.ts
import cluster from "node:cluster";
import http from "node:http";
import { createDatabase } from "@aihub/db";

const workers = Number(process.env.BENCH_WORKERS ?? 1);
const port = Number(process.env.BENCH_PORT);
const orgId = process.env.BENCH_ORG_ID as string;
const memberId = process.env.BENCH_MEMBER_ID as string;

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    process.exit(0);
  });
} else {
  // The same pool size as the gateway (DATABASE_POOL_MAX, else the default).
  const db = createDatabase({ url: process.env.BENCH_DATABASE_URL as string, poolMax: Number(process.env.DATABASE_POOL_MAX) || undefined });
  const json = (res: http.ServerResponse, body: unknown) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer(async (req, res) => {
    try {
      if (req.url === "/http") return json(res, { ok: true });
      if (req.url === "/pg") {
        const { rows } = await db.pool.query("SELECT id FROM organizations WHERE id = $1", [orgId]);
        return json(res, rows[0]);
      }
      if (req.url === "/tx") {
        const client = await db.pool.connect();
        try {
          await client.query("BEGIN");
          await client.query("SELECT set_config('app.current_org_id', $1, true)", [orgId]);
          const { rows } = await client.query("SELECT id FROM members WHERE id = $1", [memberId]);
          await client.query("COMMIT");
          return json(res, rows[0]);
        } finally {
          client.release();
        }
      }
      res.writeHead(404).end();
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  server.keepAliveTimeout = 5_000;
  server.listen(port, "127.0.0.1", () => process.send?.("listening") ?? console.log("listening"));
  process.on("SIGTERM", () => {
    server.close();
    void db.close().finally(() => process.exit(0));
  });
}
