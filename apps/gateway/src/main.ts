// Standalone gateway against the PostgreSQL in DATABASE_URL. (With no database configured,
// `pnpm start` serves the gateway next to the console on the embedded database.)
import { getDatabase } from "@aihub/db";
import { createGatewayServer, listen } from "./server.js";

if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set. Set it, or run `pnpm start`, which serves the gateway on the embedded database.");
  process.exit(1);
}

const db = getDatabase();
const server = createGatewayServer({ db });
const port = await listen(server, Number(process.env.GATEWAY_PORT ?? 4000), process.env.GATEWAY_HOST ?? "127.0.0.1");
console.log(`Gateway listening on http://127.0.0.1:${port} (tRPC at /trpc, /healthz, /readyz)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    void db.close().finally(() => process.exit(0));
  });
}
