import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";
import { E2E_PORTS as ports } from "./apps/web/e2e/support/ports";

// Two copies of the production build: one on PostgreSQL (the e2e database that `pnpm test`
// prepares) configured as an operator would (fixed secrets, SMTP), one on the embedded database
// in a fresh data directory with nothing configured, as a new user gets it (it generates and
// keeps its own secrets there). A capture SMTP server receives the mail the tests read.
const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "postgresql://aihub_app:aihub_app@127.0.0.1:5432/aihub_e2e";
// This file is evaluated again in every worker: the directory is made once and inherited.
process.env.E2E_EMBEDDED_DATA_DIR ||= mkdtempSync(join(tmpdir(), "aihub-e2e-pglite-"));
const embeddedDataDir = process.env.E2E_EMBEDDED_DATA_DIR;

/** Fixed secrets shared by every process of the PostgreSQL copy (the code has no default). */
const E2E_SECRETS = {
  NEXTAUTH_SECRET: "e2e-nextauth-secret-fixed-for-every-test-process",
  API_KEY_SECRET: "e2e-api-key-secret-fixed-for-every-test-process",
  // 32 bytes in base64: the key that encrypts provider credentials.
  PROVIDER_SECRET_KEY: Buffer.from("e2e-provider-key-32-bytes-fixed!").toString("base64"),
};

export default defineConfig({
  testDir: "apps/web/e2e",
  forbidOnly: true,
  fullyParallel: true,
  retries: 0,
  workers: 2,
  timeout: 45_000,
  // Sign-in hashes a password and renders a dynamic page: give a busy two-core machine room.
  expect: { timeout: 10_000 },
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
      command: `node apps/web/e2e/support/mail-capture.mjs ${ports.mailSmtp} ${ports.mailHttp}`,
      url: `http://127.0.0.1:${ports.mailHttp}/healthz`,
      reuseExistingServer: false,
      timeout: 10_000,
    },
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
        ...E2E_SECRETS,
        // Every spec signs in from 127.0.0.1, many as the demo owner: the suite as a whole would
        // pass the per-address and per-email sign-in limits (their own tests run in vitest).
        SIGN_IN_ATTEMPTS_PER_IP: "1000",
        SIGN_IN_ATTEMPTS_PER_EMAIL: "200",
        // Mail goes over SMTP to the capture server; the tests read links from there.
        SMTP_URL: `smtp://127.0.0.1:${ports.mailSmtp}`,
        EMAIL_FROM: "AI Hub E2E <no-reply@e2e.example>",
        // Browsers connect directly: no proxy is trusted, forwarding headers are the client's own.
        TRUST_PROXY: "",
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
        // Nothing configured, as after `pnpm install && pnpm start`.
        NEXTAUTH_SECRET: "",
        API_KEY_SECRET: "",
        SMTP_URL: "",
        TRUST_PROXY: "",
      } as Record<string, string>,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
    },
  ],
});
