import { fileURLToPath } from "node:url";
import type { TestProjectInlineConfiguration } from "vitest/config";

const root = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Workspace packages resolve to their TypeScript sources in tests, so no build is needed
 * first (the apps consume the compiled `dist`). Most specific entries first.
 */
export const sourceAliases = [
  { find: /^@aihub\/db\/testing$/, replacement: root("./packages/db/src/testing/index.ts") },
  { find: /^@aihub\/db\/embedded$/, replacement: root("./packages/db/src/embedded/index.ts") },
  { find: /^@aihub\/db$/, replacement: root("./packages/db/src/index.ts") },
  { find: /^@aihub\/api\/config$/, replacement: root("./packages/api/src/config/index.ts") },
  { find: /^@aihub\/api\/schemas$/, replacement: root("./packages/api/src/schemas/index.ts") },
  { find: /^@aihub\/api\/rbac$/, replacement: root("./packages/api/src/rbac/index.ts") },
  { find: /^@aihub\/api$/, replacement: root("./packages/api/src/index.ts") },
  { find: /^@aihub\/client$/, replacement: root("./packages/client/src/index.ts") },
];

const shared = { resolve: { alias: sourceAliases } };
/** Every test file's output is searched for credentials in the clear (see the file). */
const secretFreeOutput = root("./packages/api/src/testing/secret-free-output.ts");
const sources = ["packages/*/src/**", "apps/*/src/**"];

/** The test projects; vitest ≥ 4 ignores this file by itself, vitest.config.ts reads it. */
export const projects: TestProjectInlineConfiguration[] = [
  {
    ...shared,
    test: {
      name: "unit",
      environment: "node",
      include: sources.map((s) => `${s}/*.test.ts`),
      exclude: ["**/*.int.test.ts", "**/node_modules/**"],
      setupFiles: [secretFreeOutput],
    },
  },
  {
    ...shared,
    test: {
      name: "integration",
      environment: "node",
      include: sources.map((s) => `${s}/*.int.test.ts`),
      // Roles and a migrated template database, once; each file then clones its own database.
      globalSetup: [root("./packages/db/src/testing/global-setup.ts")],
      setupFiles: [secretFreeOutput],
      testTimeout: 60_000,
      hookTimeout: 120_000,
    },
  },
  {
    // Console components in a simulated browser. Vite 8 transforms TSX with oxc; the app's
    // tsconfig says "jsx": "preserve" (Next compiles it), so the runtime is set here.
    resolve: { alias: [...sourceAliases, { find: /^@\/(.*)$/, replacement: root("./apps/web/src/$1") }] },
    oxc: { jsx: { runtime: "automatic", importSource: "react" } },
    test: {
      name: "components",
      environment: "jsdom",
      include: ["apps/web/src/**/*.test.tsx"],
      setupFiles: [root("./apps/web/src/test/setup.ts")],
    },
  },
];
