import { defineConfig } from "vitest/config";
import { projects } from "./vitest.workspace.js";

// Fixed secrets for every test process: the code has no built-in fallback (production and
// tests without them refuse to run), so the tests say explicitly which ones they use.
const TEST_SECRETS = {
  NEXTAUTH_SECRET: "vitest-nextauth-secret-fixed-for-all-test-processes",
  API_KEY_SECRET: "vitest-api-key-secret-fixed-for-all-test-processes",
};

export default defineConfig({
  test: {
    projects,
    env: TEST_SECRETS,
    reporters: process.env.CI_REPORT ? ["default", ["json", { outputFile: "reports/vitest.json" }]] : ["default"],
  },
});
