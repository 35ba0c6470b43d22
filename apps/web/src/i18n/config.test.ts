import { describe, expect, it } from "vitest";
import { localeFromAcceptLanguage, resolveLocale } from "./config";

describe("localeFromAcceptLanguage", () => {
  it.each([
    [null, "en"],
    ["", "en"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["zh", "zh-CN"],
    ["en-US,en;q=0.9", "en"],
    ["fr-FR,fr;q=0.9", "en"],
    ["fr-FR, zh;q=0.5", "zh-CN"],
    ["en;q=0.4, zh-CN;q=0.8", "zh-CN"],
    ["zh;q=0, en", "en"],
    ["zhx, en", "en"],
  ] as const)("%s → %s", (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });
});

describe("resolveLocale", () => {
  it("prefers a valid cookie over the header", () => {
    expect(resolveLocale("zh-CN", "en-US")).toBe("zh-CN");
    expect(resolveLocale("en", "zh-CN")).toBe("en");
  });

  it("ignores an unknown cookie value", () => {
    expect(resolveLocale("de", "zh-CN")).toBe("zh-CN");
  });
});
