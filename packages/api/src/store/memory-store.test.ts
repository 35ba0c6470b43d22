import { describe, expect, it } from "vitest";
import { createMemoryStore } from "./memory-store.js";

describe("in-process store", () => {
  it("sets a value only while its guard is unchanged", async () => {
    const store = createMemoryStore();
    expect(await store.setIfUnchanged("entry", "v1", 60, "gen", null)).toBe(true);
    expect(await store.get("entry")).toBe("v1");
    expect(await store.bump("gen", 60)).toBe(1);
    expect(await store.setIfUnchanged("entry", "stale", 60, "gen", null)).toBe(false);
    expect(await store.get("entry")).toBe("v1");
    expect(await store.setIfUnchanged("entry", "v2", 60, "gen", "1")).toBe(true);
    expect(await store.get("entry")).toBe("v2");
    await store.close();
  });

  it("counts hits in a window that starts at the first hit", async () => {
    const store = createMemoryStore();
    expect([await store.hit("w", 60), await store.hit("w", 60), await store.hit("w", 60)]).toEqual([1, 2, 3]);
    await store.del("w");
    expect(await store.hit("w", 60)).toBe(1);
    await store.close();
  });
});
