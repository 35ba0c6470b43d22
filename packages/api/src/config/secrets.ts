import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * The two keys the product signs with: NEXTAUTH_SECRET signs and encrypts console sessions,
 * API_KEY_SECRET keys the HMAC that stores organization API keys (PROVIDER_SECRET_KEY, 32 bytes in
 * base64, encrypts provider credentials: services/providers/credential-crypto.ts). Whoever knows one can mint
 * sessions for any user, or check guesses against stored key hashes, so neither has a default
 * a running production server could fall back to.
 */
export type SecretName = "NEXTAUTH_SECRET" | "API_KEY_SECRET" | "PROVIDER_SECRET_KEY";

type Env = Record<string, string | undefined>;

/** Shorter than this in production is refused: a secret must be random, not a word. */
export const MIN_SECRET_LENGTH = 32;

export class MissingSecretError extends Error {
  override name = "MissingSecretError";
  constructor(readonly variables: SecretName[]) {
    const names = variables.length > 1 ? `${variables.slice(0, -1).join(", ")} and ${variables.at(-1)}` : (variables[0] as string);
    super(
      `${names} ${variables.length > 1 ? "are" : "is"} not set. A production server refuses to start without ` +
        `${variables.length > 1 ? "them" : "it"}: set ${variables.length > 1 ? "each" : "it"} to a long random value ` +
        "(e.g. `openssl rand -base64 32`), the same in every process of the deployment. " +
        "(With no DATABASE_URL, `pnpm start` generates and keeps them itself.)",
    );
  }
}

export class WeakSecretError extends Error {
  override name = "WeakSecretError";
  constructor(readonly variable: SecretName) {
    super(`${variable} is shorter than ${MIN_SECRET_LENGTH} characters. Set it to a long random value (e.g. \`openssl rand -base64 32\`).`);
  }
}

const isProduction = (env: Env) => env.NODE_ENV === "production";
const configured = (env: Env, name: SecretName) => (env[name] ? env[name] : undefined);

const DEVELOPMENT_SECRETS = Symbol.for("aihub.config.developmentSecrets");

/**
 * The secret a running server signs with, read from the environment on every call (the
 * launcher may put it there after this module loaded). Production and tests have no fallback:
 * a missing secret throws, naming the variable (tests pass a fixed one: vitest.config.ts,
 * playwright.config.ts). Only development (`next dev`, `tsx watch`) without one gets a random
 * secret for this process, so sessions and key hashes last until the next restart.
 */
export function readSecret(name: SecretName, env: Env = process.env): string {
  const value = configured(env, name);
  if (value) {
    if (isProduction(env) && value.length < MIN_SECRET_LENGTH) throw new WeakSecretError(name);
    return value;
  }
  if (isProduction(env) || env.NODE_ENV === "test") throw new MissingSecretError([name]);
  const holder = globalThis as { [DEVELOPMENT_SECRETS]?: Partial<Record<SecretName, string>> };
  holder[DEVELOPMENT_SECRETS] ??= {};
  const cache = holder[DEVELOPMENT_SECRETS];
  if (!cache[name]) {
    cache[name] = randomBytes(32).toString("base64url");
    console.warn(`${name} is not set: using a random secret for this development process (it changes on restart).`);
  }
  return cache[name];
}

/** Where the embedded start keeps the secrets it generated: next to the database's directory. */
export function secretsFileFor(embeddedDataDir: string): string {
  return `${resolve(embeddedDataDir)}-secrets.json`;
}

export interface EnsureSecretsResult {
  /** Taken from the environment as set. */
  configured: SecretName[];
  /** Read from the embedded start's secrets file (generated on an earlier start). */
  loaded: SecretName[];
  /** Generated now and written to the secrets file. */
  generated: SecretName[];
  /** The secrets file, when one was used. */
  file: string | null;
}

/**
 * What a launcher calls before it serves anything. Secrets set in `env` win. With an embedded
 * database (`embeddedDataDir`: no DATABASE_URL, one machine), missing secrets are generated once,
 * kept in a file only the owner can read (mode 0600) next to the database, reused on every later
 * start, and put into `env` for the rest of the process. Otherwise, in production, a missing
 * secret stops the start with a MissingSecretError naming every missing variable.
 */
export function ensureSecrets(options: { names: SecretName[]; env?: Env; embeddedDataDir?: string | null }): EnsureSecretsResult {
  const env = options.env ?? process.env;
  const result: EnsureSecretsResult = { configured: [], loaded: [], generated: [], file: null };
  const missing: SecretName[] = [];
  for (const name of options.names) {
    const value = configured(env, name);
    if (!value) missing.push(name);
    else if (isProduction(env) && value.length < MIN_SECRET_LENGTH) throw new WeakSecretError(name);
    else result.configured.push(name);
  }
  if (missing.length === 0) return result;
  if (!options.embeddedDataDir) {
    if (isProduction(env)) throw new MissingSecretError(missing);
    return result;
  }

  const file = secretsFileFor(options.embeddedDataDir);
  result.file = file;
  const stored = readSecretsFile(file);
  let changed = false;
  for (const name of missing) {
    const kept = stored[name];
    if (typeof kept === "string" && kept.length >= MIN_SECRET_LENGTH) {
      result.loaded.push(name);
      env[name] = kept;
    } else {
      const fresh = randomBytes(32).toString("base64url");
      stored[name] = fresh;
      result.generated.push(name);
      changed = true;
      env[name] = fresh;
    }
  }
  if (changed) writeSecretsFile(file, stored);
  return result;
}

function readSecretsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  // Someone loosened the mode (a copy, an archive): only the owner may read it.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${file} is not a JSON object`);
  return parsed as Record<string, unknown>;
}

function writeSecretsFile(file: string, secrets: Record<string, unknown>): void {
  mkdirSync(dirname(file), { recursive: true });
  // Written whole, then renamed over the old one: a crash never leaves half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600); // a leftover temporary file keeps its old mode otherwise
  renameSync(temporary, file);
}
