// The whole test suite: build, unit + integration tests (vitest), then the production build in
// a browser (Playwright). Ends with one "N passed, N failed" line; exits non-zero on any failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { printCoverage } from "./coverage-summary.mjs";

const env = { ...process.env, CI_REPORT: "1", NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" };
const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "postgresql://aihub_app:aihub_app@127.0.0.1:5432/aihub_e2e";
rmSync("reports", { recursive: true, force: true });
mkdirSync("reports");

function run(title, command, args, extraEnv = {}) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return result.status === 0;
}

const steps = {};
steps.build = run("build", "pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
if (steps.build) {
  steps.lint = run("lint", "pnpm", ["exec", "biome", "check", "."]);
  steps.typecheck = run("typecheck", "pnpm", ["exec", "turbo", "run", "typecheck", "--output-logs=errors-only"]);
  // With line coverage of the server packages (a floor of 75% each fails the step below it).
  steps.vitest = run("unit and integration tests", "pnpm", ["exec", "vitest", "run", "--coverage"]);
  printCoverage();
  // Mutation score of the pure security-critical modules (a few minutes; fails under 80%).
  // The slower scopes are a documented command (docs/testing.md).
  steps.mutation = run("mutation score (pure modules)", "pnpm", ["--silent", "test:mutation"]);
  // A fresh e2e database each run: roles, schema, demo data, exactly as an operator sets it up.
  delete env.MIGRATION_DATABASE_URL;
  steps.e2eDatabase =
    run("reset the e2e database", "pnpm", ["--silent", "db:reset"], { DATABASE_URL: E2E_DATABASE_URL }) &&
    run("empty the e2e Redis database", "redis-cli", ["-u", process.env.E2E_REDIS_URL ?? "redis://127.0.0.1:6379/15", "flushdb"]);
  if (steps.e2eDatabase) steps.playwright = run("browser tests", "pnpm", ["exec", "playwright", "test"], { E2E_DATABASE_URL });
}

function readJson(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null;
}
const vitest = readJson("reports/vitest.json");
const playwright = readJson("reports/playwright.json");
const passed = (vitest?.numPassedTests ?? 0) + (playwright?.stats?.expected ?? 0);
const failed = (vitest?.numFailedTests ?? 0) + (playwright?.stats?.unexpected ?? 0) + (playwright?.stats?.flaky ?? 0);
const brokenSteps = Object.entries(steps)
  .filter(([, ok]) => !ok)
  .map(([name]) => name);
const missingReports = [
  steps.vitest !== undefined && !vitest && "vitest",
  steps.playwright !== undefined && !playwright && "playwright",
].filter(Boolean);

console.log(`\n${passed} passed, ${failed} failed`);
if (brokenSteps.length) console.log(`Failed steps: ${brokenSteps.join(", ")}`);
if (missingReports.length) console.log(`Missing reports: ${missingReports.join(", ")}`);
process.exit(failed === 0 && brokenSteps.length === 0 && missingReports.length === 0 && steps.playwright ? 0 : 1);
