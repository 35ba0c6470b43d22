import { defineConfig } from "vitest/config";
import { sourceAliases } from "./vitest.workspace.js";

/**
 * The vitest configuration `pnpm test:mutation` (Stryker) runs: one project, only the test files
 * that exercise the modules being mutated (see stryker.config.mjs), so each mutant costs seconds.
 * `MUTATION_TESTS` lists the test files (comma-separated); integration files also get the
 * migrated template database, as in the normal run.
 */
const files = (process.env.MUTATION_TESTS ?? "").split(",").filter(Boolean);
const integration = files.some((f) => f.endsWith(".int.test.ts"));

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    environment: "node",
    include: files,
    env: {
      NEXTAUTH_SECRET: "vitest-nextauth-secret-fixed-for-all-test-processes",
      API_KEY_SECRET: "vitest-api-key-secret-fixed-for-all-test-processes",
    },
    globalSetup: integration ? ["packages/db/src/testing/global-setup.ts"] : [],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
