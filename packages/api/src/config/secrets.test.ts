import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ensureSecrets, MissingSecretError, readSecret, secretsFileFor, WeakSecretError } from "./secrets.js";

const STRONG = "s".repeat(40);
const BOTH = ["NEXTAUTH_SECRET", "API_KEY_SECRET"] as const;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "aihub-secrets-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe("readSecret", () => {
  it("returns the configured value", () => {
    expect(readSecret("API_KEY_SECRET", { NODE_ENV: "production", API_KEY_SECRET: STRONG })).toBe(STRONG);
    expect(readSecret("NEXTAUTH_SECRET", { NODE_ENV: "test", NEXTAUTH_SECRET: "short-is-fine-in-tests" })).toBe("short-is-fine-in-tests");
  });

  it("throws, naming the variable, in production and in tests when it is missing or empty", () => {
    for (const NODE_ENV of ["production", "test"]) {
      expect(() => readSecret("NEXTAUTH_SECRET", { NODE_ENV })).toThrow(MissingSecretError);
      expect(() => readSecret("NEXTAUTH_SECRET", { NODE_ENV, NEXTAUTH_SECRET: "" })).toThrow(/NEXTAUTH_SECRET is not set/);
      expect(() => readSecret("API_KEY_SECRET", { NODE_ENV })).toThrow(/API_KEY_SECRET is not set/);
    }
  });

  it("refuses a short secret in production", () => {
    expect(() => readSecret("API_KEY_SECRET", { NODE_ENV: "production", API_KEY_SECRET: "hunter2" })).toThrow(WeakSecretError);
    expect(() => readSecret("API_KEY_SECRET", { NODE_ENV: "production", API_KEY_SECRET: "hunter2" })).toThrow(/API_KEY_SECRET/);
  });

  it("in development, uses a random per-process secret (never a constant), stable within the process", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const first = readSecret("NEXTAUTH_SECRET", { NODE_ENV: "development" });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readSecret("NEXTAUTH_SECRET", {})).toBe(first);
    expect(readSecret("API_KEY_SECRET", { NODE_ENV: "development" })).not.toBe(first);
    expect(first).not.toMatch(/development|aihub/i);
    expect(warn.mock.calls.flat().join("\n")).not.toContain(first);
  });
});

describe("ensureSecrets (launchers)", () => {
  it("in production with a database configured, stops the start naming every missing variable", () => {
    const env = { NODE_ENV: "production" };
    expect(() => ensureSecrets({ names: [...BOTH], env })).toThrow(/NEXTAUTH_SECRET and API_KEY_SECRET are not set/);
    // The standalone gateway asks for the API-key secret only.
    expect(() => ensureSecrets({ names: ["API_KEY_SECRET"], env: { ...env, NEXTAUTH_SECRET: STRONG } })).toThrow(
      /^API_KEY_SECRET is not set/,
    );
    expect(ensureSecrets({ names: ["API_KEY_SECRET"], env: { ...env, API_KEY_SECRET: STRONG } })).toMatchObject({
      configured: ["API_KEY_SECRET"],
      generated: [],
      file: null,
    });
    expect(() => ensureSecrets({ names: ["API_KEY_SECRET"], env: { ...env, API_KEY_SECRET: "short" } })).toThrow(WeakSecretError);
  });

  it("outside production with no data directory, leaves the variables alone", () => {
    const env: Record<string, string | undefined> = { NODE_ENV: "development" };
    expect(ensureSecrets({ names: [...BOTH], env })).toEqual({ configured: [], loaded: [], generated: [], file: null });
    expect(env.NEXTAUTH_SECRET).toBeUndefined();
  });

  it("embedded: generates once, keeps them in a 0600 file next to the data directory, reuses them on the next start", () => {
    const dataDir = join(root, ".data", "pglite");
    const first: Record<string, string | undefined> = { NODE_ENV: "production" };
    const started = ensureSecrets({ names: [...BOTH], env: first, embeddedDataDir: dataDir });
    expect(started.generated).toEqual([...BOTH]);
    expect(started.file).toBe(join(root, ".data", "pglite-secrets.json"));
    expect(started.file).toBe(secretsFileFor(dataDir));
    expect(first.NEXTAUTH_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.API_KEY_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.NEXTAUTH_SECRET).not.toBe(first.API_KEY_SECRET);
    expect(statSync(started.file as string).mode & 0o777).toBe(0o600);

    const second: Record<string, string | undefined> = { NODE_ENV: "production" };
    const restarted = ensureSecrets({ names: [...BOTH], env: second, embeddedDataDir: dataDir });
    expect(restarted).toMatchObject({ loaded: [...BOTH], generated: [] });
    expect(second).toEqual(first);

    // Another data directory, another installation: other secrets.
    const other: Record<string, string | undefined> = { NODE_ENV: "production" };
    ensureSecrets({ names: [...BOTH], env: other, embeddedDataDir: join(root, "elsewhere") });
    expect(other.NEXTAUTH_SECRET).not.toBe(first.NEXTAUTH_SECRET);
  });

  it("embedded: a configured variable wins and is not written to the file; a missing one is added later", () => {
    const dataDir = join(root, "pglite");
    const env: Record<string, string | undefined> = { NODE_ENV: "production", NEXTAUTH_SECRET: STRONG };
    const result = ensureSecrets({ names: ["NEXTAUTH_SECRET"], env, embeddedDataDir: dataDir });
    expect(result).toEqual({ configured: ["NEXTAUTH_SECRET"], loaded: [], generated: [], file: null });
    expect(env.NEXTAUTH_SECRET).toBe(STRONG);

    ensureSecrets({ names: ["API_KEY_SECRET"], env, embeddedDataDir: dataDir });
    const later: Record<string, string | undefined> = { NODE_ENV: "production" };
    expect(ensureSecrets({ names: [...BOTH], env: later, embeddedDataDir: dataDir })).toMatchObject({
      loaded: ["API_KEY_SECRET"],
      generated: ["NEXTAUTH_SECRET"],
    });
    expect(later.API_KEY_SECRET).toBe(env.API_KEY_SECRET);
    expect(Object.keys(JSON.parse(readFileSync(secretsFileFor(dataDir), "utf8"))).sort()).toEqual(["API_KEY_SECRET", "NEXTAUTH_SECRET"]);
  });

  it("embedded: tightens a secrets file whose mode was loosened, and refuses a corrupt one", () => {
    const dataDir = join(root, "pglite");
    const file = secretsFileFor(dataDir);
    writeFileSync(file, JSON.stringify({ NEXTAUTH_SECRET: STRONG, API_KEY_SECRET: STRONG }), { mode: 0o644 });
    const env: Record<string, string | undefined> = {};
    ensureSecrets({ names: [...BOTH], env, embeddedDataDir: dataDir });
    expect(env.NEXTAUTH_SECRET).toBe(STRONG);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    writeFileSync(file, "[]");
    expect(() => ensureSecrets({ names: [...BOTH], env: {}, embeddedDataDir: dataDir })).toThrow(/not a JSON object/);
  });
});
