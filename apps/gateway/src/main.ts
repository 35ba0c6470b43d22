// Standalone gateway against the PostgreSQL in DATABASE_URL. (With no database configured,
// `pnpm start` serves the gateway next to the console on the embedded database.)
import { ensureSecrets, MissingSecretError, parseTrustProxy, TrustProxyError, WeakSecretError } from "@aihub/api/config";
import { getDatabase } from "@aihub/db";
import { createGatewayServer, listen } from "./server.js";

// `node dist/main.js` is how it runs in production; `pnpm dev` says development.
process.env.NODE_ENV ??= "production";

if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set. Set it, or run `pnpm start`, which serves the gateway on the embedded database.");
  process.exit(1);
}

// The gateway hashes API keys (API_KEY_SECRET) and has no sessions: that secret only. Which
// proxies' X-Forwarded-For to believe: TRUST_PROXY, as for the console.
let trustProxy: ReturnType<typeof parseTrustProxy>;
try {
  ensureSecrets({ names: ["API_KEY_SECRET"] });
  trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
} catch (error) {
  if (error instanceof MissingSecretError || error instanceof WeakSecretError || error instanceof TrustProxyError) {
    console.error(`Not starting: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

const db = getDatabase();
const server = createGatewayServer({ db, trustProxy });
const port = await listen(server, Number(process.env.GATEWAY_PORT ?? 4000), process.env.GATEWAY_HOST ?? "127.0.0.1");
console.log(`Gateway listening on http://127.0.0.1:${port} (tRPC at /trpc, /healthz, /readyz)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    void db.close().finally(() => process.exit(0));
  });
}
