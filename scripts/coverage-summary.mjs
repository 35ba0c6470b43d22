// Prints line coverage per server package from vitest's json-summary (reports/coverage).
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";

const PACKAGES = ["packages/api/src", "packages/db/src"];
const file = "reports/coverage/coverage-summary.json";

export function printCoverage() {
  if (!existsSync(file)) {
    console.log("No coverage summary was written.");
    return;
  }
  const summary = JSON.parse(readFileSync(file, "utf8"));
  for (const pkg of PACKAGES) {
    let covered = 0;
    let total = 0;
    for (const [path, entry] of Object.entries(summary)) {
      if (path === "total" || !relative(process.cwd(), path).startsWith(pkg)) continue;
      covered += entry.lines.covered;
      total += entry.lines.total;
    }
    const pct = total === 0 ? 0 : (100 * covered) / total;
    console.log(`Line coverage ${pkg.replace("/src", "")}: ${pct.toFixed(1)}% (${covered}/${total} lines)`);
  }
}
