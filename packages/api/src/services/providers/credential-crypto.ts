import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readSecret } from "../../config/secrets.js";

/**
 * Provider credentials at rest: AES-256-GCM under PROVIDER_SECRET_KEY (32 bytes, base64 or
 * base64url), loaded like the other secrets (no fallback in production or tests; the embedded
 * start generates and keeps one). Stored as "v1.<iv>.<tag>.<ciphertext>" (base64url parts); the
 * connection's id is the additional authenticated data, so a ciphertext copied onto another
 * connection does not decrypt. Rotation: set the new key as PROVIDER_SECRET_KEY and the old one
 * as PROVIDER_SECRET_KEY_PREVIOUS; reads try both, and saving a connection encrypts with the new one.
 */
const VERSION = "v1";

export class ProviderKeyError extends Error {
  override name = "ProviderKeyError";
}

function keyFrom(value: string, name: string): Buffer {
  const key = Buffer.from(value, "base64");
  if (key.length !== 32) throw new ProviderKeyError(`${name} must be 32 bytes, base64-encoded (e.g. \`openssl rand -base64 32\`)`);
  return key;
}

function currentKey(): Buffer {
  return keyFrom(readSecret("PROVIDER_SECRET_KEY"), "PROVIDER_SECRET_KEY");
}

function keysForReading(): Buffer[] {
  const previous = process.env.PROVIDER_SECRET_KEY_PREVIOUS;
  return previous ? [currentKey(), keyFrom(previous, "PROVIDER_SECRET_KEY_PREVIOUS")] : [currentKey()];
}

export function encryptCredential(plain: string, connectionId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", currentKey(), iv);
  cipher.setAAD(Buffer.from(connectionId));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function decryptCredential(stored: string, connectionId: string): string {
  const [version, iv, tag, body] = stored.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new ProviderKeyError("Unknown credential format");
  for (const key of keysForReading()) {
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(connectionId));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      // Not this key: try the previous one (rotation), else fail below.
    }
  }
  throw new ProviderKeyError("The provider credential cannot be decrypted with PROVIDER_SECRET_KEY (or PROVIDER_SECRET_KEY_PREVIOUS)");
}

/** What is shown of a credential: its last four characters. */
export const last4 = (plain: string) => plain.slice(-4);
