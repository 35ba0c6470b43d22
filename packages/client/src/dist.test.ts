import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const tsc = createRequire(join(pkg, "package.json")).resolve("typescript/bin/tsc");

/** Any import of the server package that would survive compilation (a value import, a side-effect import, a dynamic import). */
const serverImport = /(from\s*["']@aihub\/api["'/]|import\s*["']@aihub\/api|import\(\s*["']@aihub\/api|require\(\s*["']@aihub\/api)/;

describe("the compiled client", () => {
  it("imports nothing of @aihub/api at run time (the router is a type-only import)", () => {
    const out = mkdtempSync(join(tmpdir(), "aihub-client-"));
    try {
      execFileSync(process.execPath, [
        tsc,
        "-p",
        join(pkg, "tsconfig.build.json"),
        "--outDir",
        out,
        "--noCheck",
        "--declaration",
        "false",
        "--declarationMap",
        "false",
      ]);
      const js = readFileSync(join(out, "index.js"), "utf8");
      expect(js).toContain("createTRPCClient");
      expect(js).not.toMatch(serverImport);
      expect(readFileSync(join(pkg, "src/index.ts"), "utf8")).toMatch(serverImport); // the pattern does see the source's import
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const built = join(pkg, "dist/index.js");
    if (existsSync(built)) expect(readFileSync(built, "utf8")).not.toMatch(serverImport);
  });
});
