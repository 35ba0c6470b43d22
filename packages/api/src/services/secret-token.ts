import { createHash, randomBytes } from "node:crypto";

/**
 * Single-use link tokens (email verification, password reset, invitations), written once:
 * 256 random bits, URL-safe; only the SHA-256 is stored, so a database reader cannot use one.
 * (A fast hash is right here: the token is random, not a password to guess.)
 */
export function newSecretToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashSecretToken(token) };
}

export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
