import { describe, expect, it } from "vitest";
import { generateApiKey, generatePersonalToken, looksLikeApiKey, looksLikePersonalToken } from "./key-format.js";

describe("personal access token format", () => {
  it("is aihp_<env>_ + 43 base62 chars + a 6-char checksum, with a 17-char display prefix", () => {
    const { token, prefix } = generatePersonalToken("live");
    expect(token).toMatch(/^aihp_live_[0-9A-Za-z]{49}$/);
    expect(prefix).toBe(token.slice(0, 17));
    expect(looksLikePersonalToken(token)).toBe(true);
    const test = generatePersonalToken("test").token;
    expect(test).toMatch(/^aihp_test_/);
    expect(looksLikePersonalToken(test)).toBe(true);
  });

  it("is told apart from an organization key offline, both ways", () => {
    const { token } = generatePersonalToken();
    const { key } = generateApiKey();
    expect(looksLikeApiKey(token)).toBe(false);
    expect(looksLikePersonalToken(key)).toBe(false);
    // The same body and checksum under the other prefix is still the other kind.
    expect(looksLikeApiKey(token.replace(/^aihp_/, "aih_"))).toBe(true);
    expect(looksLikePersonalToken(key.replace(/^aih_/, "aihp_"))).toBe(true);
  });

  it("refuses a mistyped token by its checksum, and other shapes", () => {
    const { token } = generatePersonalToken();
    const last = token.at(-1) === "a" ? "b" : "a";
    expect(looksLikePersonalToken(token.slice(0, -1) + last)).toBe(false);
    const body = token.at(20) === "Z" ? "Y" : "Z";
    expect(looksLikePersonalToken(token.slice(0, 20) + body + token.slice(21))).toBe(false);
    expect(looksLikePersonalToken(`${token}x`)).toBe(false);
    expect(looksLikePersonalToken(`x${token}`)).toBe(false);
    expect(looksLikePersonalToken(token.replace("_live_", "_prod_"))).toBe(false);
    expect(looksLikePersonalToken("aihp_live_short")).toBe(false);
  });

  it("never repeats", () => {
    const tokens = new Set(Array.from({ length: 200 }, () => generatePersonalToken().token));
    expect(tokens.size).toBe(200);
  });
});
