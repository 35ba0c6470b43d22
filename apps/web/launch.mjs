// Starts the product in one process: the console (Next.js, production build) and the gateway.
// With no DATABASE_URL it first starts the embedded database (PGlite) under .data/, migrates
// it and loads the demo company, so a fresh clone runs with nothing else installed.
import http from "node:http";
import { fileURLToPath } from "node:url";

process.env.NODE_ENV ??= "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const webDir = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 4000);
const gatewayEnabled = process.env.GATEWAY_ENABLED !== "false";

let embedded = null;
if (!process.env.DATABASE_URL) {
  const { startEmbeddedDatabase } = await import("@aihub/db/embedded");
  const dataDir = process.env.AIHUB_DATA_DIR ?? `${repoRoot}.data/pglite`;
  embedded = await startEmbeddedDatabase({ dataDir });
  // Everything in this process, the console's server code included, reads these.
  process.env.DATABASE_URL = embedded.url;
  process.env.AIHUB_DATABASE_BACKEND = "pglite";
  console.log(`Embedded database (PGlite) in ${dataDir}: ${embedded.migrations.applied.length} migration(s) applied.`);
}

const { getDatabase, seedDemoData, DEMO_PASSWORD } = await import("@aihub/db");
const db = getDatabase();
if (embedded) {
  const { created } = await seedDemoData(db);
  console.log(
    created ? `Demo company loaded. Sign in as ada@acme.example with password "${DEMO_PASSWORD}".` : "Demo company already present.",
  );
}

const { default: next } = await import("next");
const app = next({ dev: false, dir: webDir, hostname: host, port });
await app.prepare();
const handle = app.getRequestHandler();
const console_ = http.createServer((req, res) => handle(req, res));
await new Promise((resolve) => console_.listen(port, host, resolve));
console.log(`Console ready on http://${host}:${port}`);

// Account and invitation mail waits in the outbox; hand it to the sender (console log by
// default, SMTP when SMTP_URL is set). Several processes may do this safely.
const { senderFromEnv, startOutboxDelivery } = await import("@aihub/api");
const sender = await senderFromEnv();
const outbox = startOutboxDelivery(db, sender);
console.log(`Email: ${sender.name} sender.`);

let gateway = null;
if (gatewayEnabled) {
  const { createGatewayServer, listen } = await import("@aihub/gateway");
  gateway = createGatewayServer({ db });
  const bound = await listen(gateway, gatewayPort, host);
  console.log(`Gateway ready on http://${host}:${bound} (tRPC at /trpc, /healthz, /readyz)`);
}

async function shutdown() {
  outbox.stop();
  console_.close();
  gateway?.close();
  await db.close().catch(() => {});
  await embedded?.close().catch(() => {});
  process.exit(0);
}
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
