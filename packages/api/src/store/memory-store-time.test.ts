import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryStore } from "./memory-store.js";

// Expiry of the in-process store on a controlled clock (no waiting, no wall-clock assertions).
describe("in-process store expiry", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-06-01T12:00:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is the memory kind and answers null for a missing key", async () => {
    const store = createMemoryStore();
    expect(store.kind).toBe("memory");
    expect(await store.get("missing")).toBeNull();
    await store.close();
  });

  it("keeps a value for its TTL and not a millisecond longer", async () => {
    const store = createMemoryStore();
    await store.set("k", "v", 2);
    vi.advanceTimersByTime(1_999);
    expect(await store.get("k")).toBe("v");
    vi.advanceTimersByTime(1);
    expect(await store.get("k")).toBeNull();
    await store.close();
  });

  it("keeps a hit window's end from its first hit: later hits do not extend it", async () => {
    const store = createMemoryStore();
    expect(await store.hit("w", 60)).toBe(1);
    vi.advanceTimersByTime(30_000);
    expect(await store.hit("w", 60)).toBe(2);
    vi.advanceTimersByTime(29_999);
    expect(await store.hit("w", 60)).toBe(3);
    vi.advanceTimersByTime(1);
    expect(await store.hit("w", 60)).toBe(1);
    await store.close();
  });

  it("counts a period until its TTL from the first count, then starts again", async () => {
    const store = createMemoryStore();
    expect(await store.countInPeriod("q", 100)).toBe(1);
    vi.advanceTimersByTime(99_999);
    expect(await store.countInPeriod("q", 100)).toBe(2);
    vi.advanceTimersByTime(1);
    expect(await store.countInPeriod("q", 100)).toBe(1);
    await store.close();
  });

  it("restarts a bumped counter's TTL at every bump", async () => {
    const store = createMemoryStore();
    expect(await store.bump("g", 10)).toBe(1);
    vi.advanceTimersByTime(9_000);
    expect(await store.bump("g", 10)).toBe(2);
    vi.advanceTimersByTime(9_000);
    expect(await store.get("g")).toBe("2");
    vi.advanceTimersByTime(1_000);
    expect(await store.get("g")).toBeNull();
    expect(await store.bump("g", 10)).toBe(1);
    await store.close();
  });

  it("writes a guarded value with its TTL, and treats an expired guard as absent", async () => {
    const store = createMemoryStore();
    await store.bump("gen", 5);
    expect(await store.setIfUnchanged("entry", "v", 3, "gen", "1")).toBe(true);
    vi.advanceTimersByTime(3_000);
    expect(await store.get("entry")).toBeNull();
    vi.advanceTimersByTime(2_000);
    expect(await store.setIfUnchanged("entry", "v2", 3, "gen", "1")).toBe(false);
    expect(await store.setIfUnchanged("entry", "v2", 3, "gen", null)).toBe(true);
    await store.close();
  });

  it("rate-limits with GCRA: a burst of the limit, then one more per interval, with the wait until then", async () => {
    const store = createMemoryStore();
    for (let i = 0; i < 3; i++) expect(await store.rateLimit("r", 3, 60)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await store.rateLimit("r", 3, 60)).toEqual({ allowed: false, retryAfterMs: 20_000 });
    vi.advanceTimersByTime(19_999);
    expect((await store.rateLimit("r", 3, 60)).allowed).toBe(false);
    vi.advanceTimersByTime(1);
    expect((await store.rateLimit("r", 3, 60)).allowed).toBe(true);
    expect((await store.rateLimit("r", 3, 60)).allowed).toBe(false);
    await store.close();
  });

  it("deletes several keys at once", async () => {
    const store = createMemoryStore();
    await store.set("a", "1", 60);
    await store.set("b", "2", 60);
    await store.set("c", "3", 60);
    await store.del("a", "b");
    expect([await store.get("a"), await store.get("b"), await store.get("c")]).toEqual([null, null, "3"]);
    await store.close();
  });

  it("sweeps only expired entries: a live one survives the minute sweep", async () => {
    const store = createMemoryStore();
    await store.set("long", "v", 3_600);
    await store.set("short", "v", 30);
    vi.advanceTimersByTime(60_000);
    expect(await store.get("long")).toBe("v");
    expect(await store.get("short")).toBeNull();
    vi.advanceTimersByTime(60_000);
    expect(await store.get("long")).toBe("v");
    await store.close();
  });

  it("stops its sweep timer and forgets everything when closed", async () => {
    const timersBefore = vi.getTimerCount();
    const store = createMemoryStore();
    expect(vi.getTimerCount()).toBe(timersBefore + 1);
    await store.set("k", "v", 60);
    await store.close();
    expect(vi.getTimerCount()).toBe(timersBefore);
    expect(await store.get("k")).toBeNull();
  });
});
