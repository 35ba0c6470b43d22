import { createHmac, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { readSecret } from "../../config/secrets.js";

/**
 * `aih_<env>_<43 base62 chars of 32 random bytes><6 base62 chars of CRC-32>`: the prefix lets
 * secret scanners recognise a leaked key, the checksum lets us refuse a mistyped one without a
 * database lookup.
 */
const KEY_PATTERN = /^aih_(live|test)_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function toBase62(value: bigint, width: number): string {
  let out = "";
  let rest = value;
  while (rest > 0n) {
    out = BASE62[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out.padStart(width, "0");
}

const checksumOf = (body: string) => toBase62(BigInt(crc32(body)), 6);

export type KeyEnvironment = "live" | "test";

export function generateApiKey(environment: KeyEnvironment = "live"): { key: string; prefix: string } {
  const body = toBase62(BigInt(`0x${randomBytes(32).toString("hex")}`), 43);
  const key = `aih_${environment}_${body}${checksumOf(body)}`;
  // Enough to recognise a key in a list, far too little to guess it.
  return { key, prefix: key.slice(0, 16) };
}

/** True when the string has the shape and checksum of one of our keys. */
export function looksLikeApiKey(candidate: string): boolean {
  const match = KEY_PATTERN.exec(candidate);
  return match !== null && checksumOf(match[2] as string) === match[3];
}

/**
 * Personal access tokens: the same scheme under another prefix,
 * `aihp_<env>_<43 base62 chars><6 base62 chars of CRC-32>`, so an organization key and a person's
 * token are told apart offline (and by secret scanners) before any lookup.
 */
const PERSONAL_TOKEN_PATTERN = /^aihp_(live|test)_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;

export function generatePersonalToken(environment: KeyEnvironment = "live"): { token: string; prefix: string } {
  const body = toBase62(BigInt(`0x${randomBytes(32).toString("hex")}`), 43);
  const token = `aihp_${environment}_${body}${checksumOf(body)}`;
  return { token, prefix: token.slice(0, 17) };
}

/** True when the string has the shape and checksum of a personal access token. */
export function looksLikePersonalToken(candidate: string): boolean {
  const match = PERSONAL_TOKEN_PATTERN.exec(candidate);
  return match !== null && checksumOf(match[2] as string) === match[3];
}

/**
 * Keys are high-entropy, so a keyed SHA-256 is enough (no slow hash needed). The key is
 * API_KEY_SECRET, with no fallback: production without it throws (the launchers refuse to
 * start first), and tests set a fixed one (vitest.config.ts).
 */
export function hashApiKey(key: string): string {
  return createHmac("sha256", readSecret("API_KEY_SECRET")).update(key).digest("hex");
}
