import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The HTTP benchmark (`pnpm --filter @aihub/gateway bench`) on its tiny data set, so it cannot
 * rot: it builds the data set, starts the built gateway and the floors, drives every path and
 * writes its report. (Speed is not asserted here; the numbers are for reading, not for tests.)
 */
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

describe("the HTTP benchmark on its tiny data set (needs the built gateway, as `pnpm test` makes it)", () => {
  it("measures every path with no error and reports ratios to the floors of the same run", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aihub-bench-"));
    const out = join(dir, "report.json");
    try {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "bench/http.bench.ts", "--tiny", "--seconds", "0.5", "--connections", "2", "--out", out],
        { cwd: PACKAGE_DIR, env: { ...process.env, GATEWAY_WORKERS: "1" }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let output = "";
      child.stdout?.on("data", (chunk) => (output += chunk));
      child.stderr?.on("data", (chunk) => (output += chunk));
      const [code] = await once(child, "exit");
      expect(code, output).toBe(0);

      const report = JSON.parse(await readFile(out, "utf8"));
      // 12 orgs × 6 members, 15 teams and 2 keys each (SIZES.tiny).
      expect(report.dataset).toMatchObject({ size: "tiny", orgs: 12, users: 72, members: 72, teams: 12 * 15, keys: 24 });
      const names = report.rows.map((row: { path: string }) => row.path);
      for (const expected of ["F_http", "F_http_pg", "F_http_tx", "organization.get", "member.list", "team.list", "permission.explain"]) {
        expect(names.some((name: string) => name.startsWith(expected))).toBe(true);
      }
      for (const row of report.rows) {
        expect(row.requests, row.path).toBeGreaterThan(0);
        expect(row.errors, `${row.path}: ${JSON.stringify(row.refusedByStatus)}`).toBe(0);
        expect(row.p50).toBeLessThanOrEqual(row.p95);
        expect(row.p95).toBeLessThanOrEqual(row.p99);
        if (row.floor) expect(row.throughputVsFloor).toBeGreaterThan(0);
      }
      expect(output).toContain("vs floor");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
