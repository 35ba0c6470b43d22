import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MANIFEST_FILE, MIGRATIONS_DIR, MigrationError, parseMigrationManifest, readMigrationManifest, readMigrations } from "./migrate.js";

/**
 * Migrations are immutable once landed: checksums.txt records every text each one has had and
 * may only grow. A landed migration whose file no longer matches its last line fails here.
 */
const REPO = join(MIGRATIONS_DIR, "../..");
const MANIFEST_PATH = relative(REPO, join(MIGRATIONS_DIR, MANIFEST_FILE));
const PAST_TEXTS = join(dirname(fileURLToPath(import.meta.url)), "testing/past-migrations");

/**
 * Migrations edited after they landed, each with the later migration that brings databases
 * migrated with an earlier text to the current state. Adding to this list is a decision, not
 * a way to make the test pass: add a new migration instead of editing a landed one.
 */
const EDITED_AFTER_LANDING: Record<string, string> = {
  "20261127020000_org_management": "20261128010000_hardening_invariants",
};

function git(args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return null;
  }
}

/** Migrations in version control (a new one counts once it is added); every one without git. */
async function landedMigrations(): Promise<string[]> {
  const all = (await readMigrations()).map((m) => m.name);
  const tracked = git(["ls-files", "--", relative(REPO, MIGRATIONS_DIR)]);
  if (tracked === null) return all;
  const names = new Set(tracked.split("\n").map((path) => relative(relative(REPO, MIGRATIONS_DIR), path).split("/")[0]));
  return all.filter((name) => names.has(name));
}

describe("migration manifest", () => {
  it("lists every landed migration, its last line being the file's current checksum", async () => {
    const manifest = await readMigrationManifest();
    const migrations = await readMigrations();
    for (const name of await landedMigrations()) {
      const migration = migrations.find((m) => m.name === name);
      const line = `${name} ${migration?.checksum}`;
      expect(manifest.get(name), `${MANIFEST_FILE} needs the line "${line}"`).toBeDefined();
      expect(
        manifest.get(name)?.at(-1),
        `${name} changed after it landed. Put its text back and add a new migration instead (its line: "${line}")`,
      ).toBe(migration?.checksum);
    }
  });

  it("names only migrations that exist", async () => {
    const names = (await readMigrations()).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining([...(await readMigrationManifest()).keys()]));
  });

  it("only grows: the committed manifest (and the one before the last commit) is a prefix of this one", async () => {
    const current = await readFile(join(MIGRATIONS_DIR, MANIFEST_FILE), "utf8");
    for (const ref of ["HEAD", "HEAD~1"]) {
      const earlier = git(["show", `${ref}:${MANIFEST_PATH}`]);
      if (earlier === null) continue; // no git, a shallow clone, or the manifest is newer than that commit
      expect(current.startsWith(earlier), `${MANIFEST_FILE} may only be appended to (compared with ${ref})`).toBe(true);
    }
  });

  it("has earlier texts only for the migrations known to have been edited, each repaired by a later migration", async () => {
    const manifest = await readMigrationManifest();
    const names = (await readMigrations()).map((m) => m.name);
    const edited = [...manifest].filter(([, checksums]) => checksums.length > 1).map(([name]) => name);
    expect(edited.sort()).toEqual(Object.keys(EDITED_AFTER_LANDING).sort());
    for (const [name, repair] of Object.entries(EDITED_AFTER_LANDING)) {
      expect(names).toContain(repair);
      expect(repair > name).toBe(true);
    }
  });

  it("keeps each earlier text as a test fixture, listed before the current one", async () => {
    const manifest = await readMigrationManifest();
    const files = await readdir(PAST_TEXTS);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const name = file.split(".")[0] as string;
      const checksum = createHash("sha256")
        .update(await readFile(join(PAST_TEXTS, file), "utf8"))
        .digest("hex");
      expect(file).toBe(`${name}.${checksum.slice(0, 12)}.sql`);
      const known = manifest.get(name) ?? [];
      expect(known.indexOf(checksum), file).toBeGreaterThanOrEqual(0);
      expect(known.indexOf(checksum), file).toBeLessThan(known.length - 1);
    }
    const pastCount = [...manifest.values()].reduce((n, checksums) => n + checksums.length - 1, 0);
    expect(files).toHaveLength(pastCount);
  });

  it("refuses a malformed or repeated line", () => {
    const sum = "a".repeat(64);
    expect(parseMigrationManifest(`# comment\n\n20260101000000_x ${sum}\n`)).toEqual(new Map([["20260101000000_x", [sum]]]));
    expect(() => parseMigrationManifest("20260101000000_x abc")).toThrow(MigrationError);
    expect(() => parseMigrationManifest(`20260101000000_x ${sum}\n20260101000000_x ${sum}`)).toThrow(/repeats/);
  });
});
