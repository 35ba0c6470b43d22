import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";

// Two copies of the production build: one on PostgreSQL (the e2e database that `pnpm test`
// prepares), one on the embedded database in a fresh data directory, as a new user gets it.
const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "postgresql://aihub_app:aihub_app@127.0.0.1:5432/aihub_e2e";
const embeddedDataDir = mkdtempSync(join(tmpdir(), "aihub-e2e-pglite-"));

const ports = { postgres: 3100, postgresGateway: 4100, embedded: 3101, embeddedGateway: 4101 };

export default defineConfig({
  testDir: "apps/web/e2e",
  forbidOnly: true,
  fullyParallel: true,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  reporter: process.env.CI_REPORT ? [["list"], ["json", { outputFile: "reports/playwright.json" }]] : [["list"]],
  use: {
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    {
      name: "postgres",
      use: { baseURL: `http://127.0.0.1:${ports.postgres}` },
      metadata: { backend: "postgresql", gateway: `http://127.0.0.1:${ports.postgresGateway}` },
    },
    {
      name: "embedded",
      testMatch: /(smoke|demo-company)\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${ports.embedded}` },
      metadata: { backend: "pglite", gateway: `http://127.0.0.1:${ports.embeddedGateway}` },
    },
  ],
  webServer: [
    {
      command: "node apps/web/launch.mjs",
      url: `http://127.0.0.1:${ports.postgres}/api/trpc/health`,
      env: {
        ...process.env,
        DATABASE_URL: E2E_DATABASE_URL,
        // As in production: PostgreSQL and Redis. A Redis database of the browser tests' own,
        // emptied before each run (scripts/test.mjs), so an earlier run's rate-limit windows
        // cannot refuse this run's sign-ups.
        REDIS_URL: process.env.E2E_REDIS_URL ?? "redis://127.0.0.1:6379/15",
        PORT: String(ports.postgres),
        GATEWAY_PORT: String(ports.postgresGateway),
      } as Record<string, string>,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
    },
    {
      command: "node apps/web/launch.mjs",
      url: `http://127.0.0.1:${ports.embedded}/api/trpc/health`,
      env: {
        ...process.env,
        DATABASE_URL: "",
        REDIS_URL: "",
        AIHUB_DATA_DIR: embeddedDataDir,
        PORT: String(ports.embedded),
        GATEWAY_PORT: String(ports.embeddedGateway),
      } as Record<string, string>,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
    },
  ],
});
