import { afterEach, describe, expect, it, vi } from "vitest";
import { generateApiKey, hashApiKey, looksLikeApiKey } from "./key-format.js";

describe("API key format", () => {
  it("is aih_<env>_ + 43 base62 chars + a 6-char checksum, recognisable and self-checking", () => {
    const { key, prefix } = generateApiKey("live");
    expect(key).toMatch(/^aih_live_[0-9A-Za-z]{49}$/);
    expect(prefix).toBe(key.slice(0, 16));
    expect(looksLikeApiKey(key)).toBe(true);
    expect(looksLikeApiKey(generateApiKey("test").key)).toBe(true);
  });

  it("refuses a mistyped key by its checksum", () => {
    const { key } = generateApiKey();
    const last = key.at(-1) === "a" ? "b" : "a";
    expect(looksLikeApiKey(key.slice(0, -1) + last)).toBe(false);
    const body = key.at(20) === "Z" ? "Y" : "Z";
    expect(looksLikeApiKey(key.slice(0, 20) + body + key.slice(21))).toBe(false);
    expect(looksLikeApiKey("aih_live_short")).toBe(false);
  });

  it("never repeats and hashes deterministically", () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().key));
    expect(keys.size).toBe(200);
    const [k] = keys;
    expect(hashApiKey(k as string)).toBe(hashApiKey(k as string));
    expect(hashApiKey(k as string)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("API key hashing secret", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("is API_KEY_SECRET: another secret gives another hash", () => {
    const { key } = generateApiKey();
    vi.stubEnv("API_KEY_SECRET", "a".repeat(40));
    const first = hashApiKey(key);
    vi.stubEnv("API_KEY_SECRET", "b".repeat(40));
    expect(hashApiKey(key)).not.toBe(first);
  });

  it("has no built-in fallback: production without API_KEY_SECRET refuses to hash, naming the variable", () => {
    const { key } = generateApiKey();
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("API_KEY_SECRET", "");
    expect(() => hashApiKey(key)).toThrow(/API_KEY_SECRET is not set/);
    // Tests too: they pass a fixed secret (vitest.config.ts) instead of relying on a default.
    vi.stubEnv("NODE_ENV", "test");
    expect(() => hashApiKey(key)).toThrow(/API_KEY_SECRET is not set/);
  });
});

describe("API key recognition at the edges", () => {
  it("makes live keys unless asked for test keys", () => {
    expect(generateApiKey().key.startsWith("aih_live_")).toBe(true);
    expect(generateApiKey("test").key.startsWith("aih_test_")).toBe(true);
  });

  it("always has the full length, small random values and checksums zero-padded", () => {
    // About one checksum in five has fewer than six base62 digits without padding.
    for (let i = 0; i < 300; i++) {
      const { key } = generateApiKey();
      expect(key).toMatch(/^aih_live_[0-9A-Za-z]{49}$/);
      expect(looksLikeApiKey(key)).toBe(true);
    }
  });

  it("refuses a valid key with anything before or after it", () => {
    const { key } = generateApiKey();
    expect(looksLikeApiKey(key)).toBe(true);
    expect(looksLikeApiKey(`x${key}`)).toBe(false);
    expect(looksLikeApiKey(`${key}x`)).toBe(false);
    expect(looksLikeApiKey(` ${key}`)).toBe(false);
    expect(looksLikeApiKey(key.replace("aih_live_", "aih_prod_"))).toBe(false);
  });
});
