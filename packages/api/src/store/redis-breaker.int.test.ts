import { startRedisProxy } from "@aihub/db/testing";
import { describe, expect, it } from "vitest";
import { circuitBreaker, createRedisStore, RedisUnavailableError } from "./redis-store.js";

/**
 * The Redis store's circuit breaker: against a hung Redis (connections open, nothing answered —
 * the test proxy frozen) only the first command waits out its timeout; the rest fail at once
 * (refused by the breaker, never sent), so a request with several Redis calls waits one timeout,
 * not one each. After the open period one command probes; when Redis answers again the store
 * works without a restart.
 */
describe("Redis circuit breaker", () => {
  it("opens on a failure, refuses without calling while open, lets one probe through after, closes on success", async () => {
    let t = 0;
    const guarded = circuitBreaker(1_000, () => t);
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error("timed out"));
    };
    const working = () => {
      calls++;
      return Promise.resolve("ok");
    };
    // A failure that is not slow (e.g. no connection: already instant) leaves it closed.
    const refusedAtOnce = () => {
      calls++;
      return Promise.reject(new Error("Stream isn't writeable"));
    };
    await expect(guarded(refusedAtOnce)).rejects.toThrow("writeable");
    await expect(guarded(working)).resolves.toBe("ok");
    calls = 0;
    await expect(guarded(failing)).rejects.toThrow("timed out");
    t = 999;
    await expect(guarded(working)).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(calls).toBe(1);
    t = 1_000;
    // One probe at a time: a second caller while it runs is refused.
    let release: (v: string) => void = () => {};
    const slow = guarded(
      () =>
        new Promise<string>((resolve) => {
          calls++;
          release = resolve;
        }),
    );
    await expect(guarded(working)).rejects.toBeInstanceOf(RedisUnavailableError);
    release("ok");
    await expect(slow).resolves.toBe("ok");
    await expect(guarded(working)).resolves.toBe("ok");
    expect(calls).toBe(3);
  });

  it("against a hung Redis: the first command times out, the next ones fail at once, and it recovers when Redis answers", async () => {
    const proxy = await startRedisProxy();
    const store = createRedisStore(proxy.url, { commandTimeoutMs: 100, breakerOpenMs: 300 });
    try {
      expect(await store.ready(2_000)).toBe(true);
      await store.set("breaker-probe", "1", 60);
      proxy.freeze();
      const first = await store.get("breaker-probe").catch((e: unknown) => e);
      expect(first).toBeInstanceOf(Error);
      expect(first).not.toBeInstanceOf(RedisUnavailableError);
      const next = await Promise.all(Array.from({ length: 5 }, () => store.get("breaker-probe").catch((e: unknown) => e)));
      expect(next.every((e) => e instanceof RedisUnavailableError)).toBe(true);
      proxy.thaw();
      // Once the open period has passed, a probe goes through and the store works again.
      let answer: unknown;
      for (let i = 0; i < 50 && answer !== "1"; i++) {
        await new Promise((r) => setTimeout(r, 100));
        answer = await store.get("breaker-probe").catch((e: unknown) => e);
      }
      expect(answer).toBe("1");
    } finally {
      await store.close();
      await proxy.stop();
    }
  });
});
