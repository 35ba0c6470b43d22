import { describe, expect, it } from "vitest";
import { generateApiKey } from "../services/api-keys/key-format.js";
import { findCredential } from "./secret-free-output.js";

describe("the suite-wide log capture's credential search", () => {
  it("finds a whole organization key or personal token anywhere in a line", () => {
    const key = generateApiKey("live").key;
    expect(findCredential(`{"msg":"request","authorization":"Bearer ${key}"}`)?.[0]).toBe(key);
    const token = `aihp_test_${"Ab3".repeat(16)}x`; // the personal token's shape: 49 base62 characters
    expect(findCredential(`token=${token}&x=1`)?.[0]).toBe(token);
  });

  it("does not flag what may be logged: prefixes, hashes, other words", () => {
    const key = generateApiKey("live");
    expect(findCredential(`key ${key.prefix} created`)).toBeNull();
    expect(findCredential("a".repeat(64))).toBeNull();
    expect(findCredential(`${key.key}extra`)).toBeNull(); // not a key: too long
  });
});
