import { describe, expect, it } from "vitest";
import { createMemoryStore } from "./memory-store.js";
import { createRedisStore } from "./redis-store.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("store readiness (servers wait for it before listening)", () => {
  it("a Redis store is ready once connected: a command right after works", async () => {
    const store = createRedisStore(REDIS_URL);
    try {
      expect(await store.ready(2_000)).toBe(true);
      await expect(store.get("readiness-probe")).resolves.toBeNull();
    } finally {
      await store.close();
    }
  });

  it("a store that cannot connect says so within the timeout, and its commands fail rather than wait", async () => {
    const store = createRedisStore("redis://127.0.0.1:1");
    try {
      expect(await store.ready(300)).toBe(false);
      await expect(store.get("anything")).rejects.toThrow();
    } finally {
      await store.close();
    }
  });

  it("the in-process store is always ready", async () => {
    expect(await createMemoryStore().ready(0)).toBe(true);
  });
});
