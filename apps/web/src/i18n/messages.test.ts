import { describe, expect, it } from "vitest";
import en from "../../messages/en.json";
import zhCN from "../../messages/zh-CN.json";

/** Every leaf as a dotted path → value, so two catalogues can be compared key by key. */
function leaves(node: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (node !== null && typeof node === "object" && !Array.isArray(node)) {
    for (const [key, value] of Object.entries(node)) {
      for (const [path, leaf] of leaves(value, prefix ? `${prefix}.${key}` : key)) out.set(path, leaf);
    }
  } else {
    out.set(prefix, node);
  }
  return out;
}

const catalogues = { en: leaves(en), "zh-CN": leaves(zhCN) };

describe("message catalogues", () => {
  it("have the same keys in every language", () => {
    expect([...catalogues["zh-CN"].keys()].sort()).toEqual([...catalogues.en.keys()].sort());
  });

  it.each(Object.entries(catalogues))("%s has only non-empty strings", (_locale, messages) => {
    expect(messages.size).toBeGreaterThan(0);
    const bad = [...messages].filter(([, value]) => typeof value !== "string" || value.trim() === "").map(([key]) => key);
    expect(bad).toEqual([]);
  });

  it("uses the same placeholders in every language", () => {
    const placeholders = (text: unknown) => [...String(text).matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();
    for (const [key, value] of catalogues.en) {
      expect(placeholders(catalogues["zh-CN"].get(key)), key).toEqual(placeholders(value));
    }
  });
});
