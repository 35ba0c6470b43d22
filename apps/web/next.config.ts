import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// next-intl without locale routing: the locale comes from a cookie or Accept-Language,
// resolved per request in this file.
const withNextIntl = createNextIntlPlugin("./src/i18n/request.ts");

const config: NextConfig = {
  poweredByHeader: false,
  // The UI kit is consumed as TypeScript source (no build step of its own).
  transpilePackages: ["@aihub/ui"],
  // `forbidden()`: a member without a tab's permission gets a 403 page naming it (not a 404).
  experimental: { authInterrupts: true },
  // Loaded by Node at run time instead of bundled: drivers with native/wasm assets and
  // connection pools that must stay one per process. (@aihub/db itself can't be listed:
  // Turbopack ignores this for pnpm-linked workspace packages; see src/server/database.ts.)
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-pg", "pg", "@electric-sql/pglite", "@electric-sql/pglite-socket", "ioredis"],
};

export default withNextIntl(config);
