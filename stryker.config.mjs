// Mutation testing of the security-critical code: `pnpm test:mutation` (pure modules, unit tests,
// a few minutes) or `MUTATION_SCOPE=<scope> pnpm test:mutation` for one of the scopes below.
// Scores and what they mean: docs/testing.md.

/** Each scope: the files whose mutants must be killed, and the tests that should kill them. */
const SCOPES = {
  // Pure modules with unit tests: fast enough for CI.
  pure: {
    mutate: [
      "packages/api/src/rbac/access.ts",
      "packages/api/src/rbac/roles.ts",
      "packages/api/src/rbac/permissions.ts",
      "packages/api/src/services/api-keys/key-format.ts",
      "packages/api/src/services/audit/canonical-json.ts",
      "packages/api/src/services/audit/events.ts",
      "packages/api/src/store/memory-store.ts",
    ],
    // Whole folders where every test is a unit test, so a new one counts at once.
    tests: [
      "packages/api/src/rbac/*.test.ts",
      "packages/api/src/store/*.test.ts",
      "packages/api/src/services/api-keys/*.test.ts",
      "packages/api/src/services/audit/audit.test.ts",
      "packages/api/src/services/audit/canonical-json.test.ts",
      "packages/api/src/services/audit/events.test.ts",
      "packages/api/src/services/audit/events-storage.test.ts",
    ],
  },
  // The audit trail, killed by the database-backed chain tests (one test database per run).
  audit: {
    mutate: ["packages/api/src/services/audit/audit.ts"],
    tests: [
      "packages/api/src/services/audit/audit-chain.int.test.ts",
      "packages/api/src/services/audit/audit.test.ts",
      "packages/api/src/audit-log.int.test.ts",
    ],
  },
  // Procedure middleware and the access services behind it, killed by the authorization tests.
  middleware: {
    mutate: ["packages/api/src/middleware/*.ts", "packages/api/src/services/access/*.ts"],
    tests: [
      "packages/api/src/authorization-matrix.int.test.ts",
      "packages/api/src/cross-tenant.int.test.ts",
      "packages/api/src/permission-cache.int.test.ts",
      "packages/api/src/bad-input.int.test.ts",
    ],
  },
  // Services that change people, keys and invitations (slow: hours on two cores).
  services: {
    mutate: [
      "packages/api/src/services/api-keys/authenticate-api-key.ts",
      "packages/api/src/services/api-keys/issue-api-key.ts",
      "packages/api/src/services/invitations/*.ts",
      "packages/api/src/services/members/*.ts",
      "packages/api/src/store/redis-store.ts",
    ],
    tests: [
      "packages/api/src/authorization-matrix.int.test.ts",
      "packages/api/src/invitations-teams.int.test.ts",
      "packages/api/src/permission-overrides.int.test.ts",
      "packages/api/src/stale-authority.int.test.ts",
      "packages/api/src/organizations.int.test.ts",
      "packages/api/src/mail-abuse.int.test.ts",
      "packages/api/src/permission-cache.int.test.ts",
    ],
  },
};

const scopeName = process.env.MUTATION_SCOPE ?? "pure";
const scope = SCOPES[scopeName];
if (!scope) throw new Error(`MUTATION_SCOPE must be one of ${Object.keys(SCOPES).join(", ")}`);
// Read by vitest.mutation.config.ts in Stryker's sandboxes and workers.
process.env.MUTATION_TESTS = scope.tests.join(",");

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  // pnpm keeps the runner out of Stryker's own node_modules, so name it (resolved from here).
  plugins: [import.meta.resolve("@stryker-mutator/vitest-runner")],
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  coverageAnalysis: "perTest",
  mutate: scope.mutate,
  // Copy only what the tests need into the sandbox.
  ignorePatterns: ["/apps", "/reports", "/test-results", "/playwright-report", "/.data", "**/dist", "**/.next", "**/.turbo"],
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 30_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${scopeName}.html` },
  jsonReporter: { fileName: `reports/mutation/${scopeName}.json` },
  thresholds: { high: 90, low: 80, break: scopeName === "pure" ? 80 : null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
