// Starts the product in one process: the console (Next.js, production build) and the gateway.
// With no DATABASE_URL it first starts the embedded database (PGlite) under .data/, migrates
// it and loads the demo company, so a fresh clone runs with nothing else installed.
import http from "node:http";
import { fileURLToPath } from "node:url";
import {
  applyTrustedForwarding,
  createNonce,
  ensureSecrets,
  MissingSecretError,
  parseTrustProxy,
  securityHeaders,
  TrustProxyError,
  WeakSecretError,
} from "@aihub/api/config";

process.env.NODE_ENV ??= "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const webDir = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 4000);
const gatewayEnabled = process.env.GATEWAY_ENABLED !== "false";
const dataDir = process.env.DATABASE_URL ? null : (process.env.AIHUB_DATA_DIR ?? `${repoRoot}.data/pglite`);

/** A configuration mistake: say which variable and stop, before anything listens. */
function refuseToStart(error) {
  if (error instanceof MissingSecretError || error instanceof WeakSecretError || error instanceof TrustProxyError) {
    console.error(`Not starting: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

// Which proxies' X-Forwarded-For to believe (none by default); checked before anything starts.
let trustProxy;
try {
  trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
} catch (error) {
  refuseToStart(error);
}

// The session and API-key secrets: from the environment; in production, required — except on
// the embedded database (one machine, `pnpm start` with nothing configured), where they are
// generated once and kept next to the data (mode 0600). Put into process.env for Next too.
try {
  const secrets = ensureSecrets({ names: ["NEXTAUTH_SECRET", "API_KEY_SECRET", "PROVIDER_SECRET_KEY"], embeddedDataDir: dataDir });
  if (secrets.generated.length) console.log(`Secrets: generated ${secrets.generated.join(" and ")}, kept in ${secrets.file} (mode 0600).`);
  if (secrets.loaded.length) console.log(`Secrets: ${secrets.loaded.join(" and ")} read from ${secrets.file}.`);
} catch (error) {
  refuseToStart(error);
}

let embedded = null;
if (dataDir) {
  const { startEmbeddedDatabase } = await import("@aihub/db/embedded");
  embedded = await startEmbeddedDatabase({ dataDir });
  // Everything in this process, the console's server code included, reads these.
  process.env.DATABASE_URL = embedded.url;
  process.env.AIHUB_DATABASE_BACKEND = "pglite";
  console.log(`Embedded database (PGlite) in ${dataDir}: ${embedded.migrations.applied.length} migration(s) applied.`);
}

const { getDatabase, seedDemoData, DEMO_PASSWORD } = await import("@aihub/db");
const db = getDatabase();
if (embedded) {
  // Demo API keys are issued as the console issues them (format and HMAC from @aihub/api); their
  // secrets are not printed — create a key on the API keys page to call the gateway.
  const { generateApiKey, hashApiKey } = await import("@aihub/api");
  const { created } = await seedDemoData(db, { keys: { generate: generateApiKey, hash: hashApiKey } });
  console.log(
    created ? `Demo company loaded. Sign in as ada@acme.example with password "${DEMO_PASSWORD}".` : "Demo company already present.",
  );
}

// Said before the (slower) console start, so an operator sees it even if that fails.
console.log(`Email: ${describeMail()}`);

const { default: next } = await import("next");
const app = next({ dev: false, dir: webDir, hostname: host, port });
await app.prepare();
const handle = app.getRequestHandler();

/**
 * Every request, before Next sees it: the client address computed from the socket (and the
 * proxies TRUST_PROXY trusts) replaces whatever forwarding headers the client sent — route
 * handlers read it from X-Forwarded-For — and every response gets the security headers. The
 * policy also goes on the request: Next reads its nonce from there and stamps its inline scripts.
 */
function serveConsole(req, res) {
  applyTrustedForwarding(req.headers, req.socket.remoteAddress, trustProxy);
  const https = Boolean(req.socket.encrypted) || req.headers["x-forwarded-proto"] === "https";
  const headers = securityHeaders({ nonce: createNonce(), https });
  req.headers["content-security-policy"] = headers["content-security-policy"];
  delete req.headers["content-security-policy-report-only"];
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  return handle(req, res);
}

const console_ = http.createServer(serveConsole);
await new Promise((resolve) => console_.listen(port, host, resolve));
console.log(`Console ready on http://${host}:${port}`);

// Account and invitation mail waits in the outbox; hand it to the sender (console log by
// default, SMTP when SMTP_URL is set). Several processes may do this safely.
const { getStore, senderFromEnv, startJobs, startOutboxDelivery } = await import("@aihub/api");
const sender = await senderFromEnv();
const outbox = startOutboxDelivery(db, sender);
// Budget jobs (docs/budgets.md, "Jobs"): each under its own advisory lock, so running them in
// every launcher and gateway is safe. JOBS_ENABLED=0 turns them off in this process.
const jobs = startJobs(db);

let gateway = null;
if (gatewayEnabled) {
  const { createGateway, listen } = await import("@aihub/gateway");
  // Listen once Redis answers (when configured), so rate limits count across processes from the start.
  const store = getStore();
  if (!(await store.ready(2_000))) console.warn("The store (REDIS_URL) does not answer: rate limits are per process until it does.");
  gateway = createGateway({ db, store, trustProxy });
  const bound = await listen(gateway.server, gatewayPort, host);
  console.log(`Gateway ready on http://${host}:${bound} (tRPC at /trpc, REST at /v1, /healthz, /readyz, /metrics)`);
}

/** Where account and invitation mail goes, said once at start-up (never the SMTP password). */
function describeMail() {
  if (process.env.SMTP_URL) {
    let server = "the SMTP server in SMTP_URL";
    try {
      const url = new URL(process.env.SMTP_URL);
      server = `${url.protocol}//${url.host}`;
    } catch {}
    return `sent through ${server}.`;
  }
  // The console sender prints links only for the embedded database or outside production
  // (a shared production log must not hold working verification and reset links).
  return embedded || process.env.NODE_ENV !== "production"
    ? "no SMTP_URL set — mail is printed to this log, links included (embedded/development only)."
    : "no SMTP_URL set — mail is printed to this log with links hidden. Set SMTP_URL to deliver it.";
}

async function shutdown() {
  outbox.stop();
  await jobs?.stop();
  console_.close();
  // Requests in flight on the gateway finish first (up to 5 s).
  await gateway?.drain(5_000);
  await db.close().catch(() => {});
  await embedded?.close().catch(() => {});
  process.exit(0);
}
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
