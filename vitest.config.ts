import { defineConfig } from "vitest/config";
import { projects } from "./vitest.workspace.js";

// Fixed secrets for every test process: the code has no built-in fallback (production and
// tests without them refuse to run), so the tests say explicitly which ones they use.
const TEST_SECRETS = {
  NEXTAUTH_SECRET: "vitest-nextauth-secret-fixed-for-all-test-processes",
  API_KEY_SECRET: "vitest-api-key-secret-fixed-for-all-test-processes",
  // 32 bytes, base64 (provider credentials are encrypted with it).
  PROVIDER_SECRET_KEY: "dml0ZXN0LXByb3ZpZGVyLWtleS0zMi1ieXRlcy1maXg=",
  // Tests run fake upstreams on 127.0.0.1: let provider base URLs point there.
  PROVIDER_ALLOW_PRIVATE: "1",
  // Gateways started by tests log warnings and errors only (a request line each would bury the report).
  LOG_LEVEL: "warn",
};

/** Line coverage of the server packages, with a floor; on with `vitest run --coverage` (the test command). */
const COVERED_PACKAGES = ["packages/api/src", "packages/db/src"];
const coverage = {
  provider: "v8" as const,
  include: COVERED_PACKAGES.map((dir) => `${dir}/**/*.ts`),
  exclude: [
    "**/*.test.ts",
    "**/testing/**",
    "**/generated/**",
    // Entry points run as commands and demo data: exercised end to end, not by unit tests.
    "packages/db/src/cli/**",
    "packages/db/src/seed.ts",
  ],
  reporter: ["text-summary", ["json-summary", { file: "coverage-summary.json" }]] as const,
  reportsDirectory: "reports/coverage",
  thresholds: Object.fromEntries(COVERED_PACKAGES.map((dir) => [`${dir}/**/*.ts`, { lines: 75 }])),
};

export default defineConfig({
  test: {
    projects,
    env: TEST_SECRETS,
    coverage,
    reporters: process.env.CI_REPORT ? ["default", ["json", { outputFile: "reports/vitest.json" }]] : ["default"],
  },
});
