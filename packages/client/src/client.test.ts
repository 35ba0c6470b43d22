import { describe, expect, it } from "vitest";
import { backoffDelay, createAiHubClient, isTRPCClientError, parseRetryAfter } from "./index.js";

const ORG = "0190f0f0-0000-7000-8000-000000000001";
const ok = (data: unknown) =>
  new Response(JSON.stringify({ result: { data: { json: data } } }), { status: 200, headers: { "content-type": "application/json" } });
const unavailable = (headers: Record<string, string> = {}) =>
  new Response(
    JSON.stringify({ error: { json: { message: "unavailable", code: -32603, data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 503 } } } }),
    {
      status: 503,
      headers: { "content-type": "application/json", ...headers },
    },
  );

interface Seen {
  method: string;
  headers: Headers;
}
function fakeFetch(responses: Array<() => Response | Promise<Response>>) {
  const seen: Seen[] = [];
  const fetch = async (_input: unknown, init?: RequestInit) => {
    seen.push({ method: init?.method ?? "GET", headers: new Headers(init?.headers) });
    const next = responses.shift();
    if (!next) throw new Error("no more responses");
    return next();
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}
const client = (fetch: typeof globalThis.fetch, retries = 2) =>
  createAiHubClient({ url: "http://gateway.test/trpc", apiKey: "aih_test_x", fetch, retries, retryBaseDelayMs: 1, maxRetryDelayMs: 50 });

describe("createAiHubClient retries", () => {
  it("retries a query that fails twice with 503, then answers, with the bearer key each time", async () => {
    const { fetch, seen } = fakeFetch([() => unavailable(), () => unavailable({ "retry-after": "0" }), () => ok([])]);
    await expect(client(fetch).team.list.query({ orgId: ORG })).resolves.toEqual([]);
    expect(seen).toHaveLength(3);
    for (const s of seen) {
      expect(s.method).toBe("GET");
      expect(s.headers.get("authorization")).toBe("Bearer aih_test_x");
      expect(s.headers.get("idempotency-key")).toBeNull();
    }
  });

  it("retries a query after a network error, and gives up after `retries` retries", async () => {
    const down = () => Promise.reject(new TypeError("fetch failed"));
    const first = fakeFetch([down, () => ok([])]);
    await expect(client(first.fetch).team.list.query({ orgId: ORG })).resolves.toEqual([]);
    const second = fakeFetch([() => unavailable(), () => unavailable(), () => unavailable(), () => ok([])]);
    const error = await client(second.fetch)
      .team.list.query({ orgId: ORG })
      .catch((e: unknown) => e);
    expect(isTRPCClientError(error)).toBe(true);
    expect(second.seen).toHaveLength(3);
  });

  it("does not wait for a Retry-After longer than the cap, nor retry other statuses", async () => {
    const quota = fakeFetch([() => unavailable({ "retry-after": "86400" }), () => ok([])]);
    await expect(client(quota.fetch).team.list.query({ orgId: ORG })).rejects.toThrow();
    expect(quota.seen).toHaveLength(1);
    const forbidden = new Response(
      JSON.stringify({ error: { json: { message: "no", code: -32003, data: { code: "FORBIDDEN", httpStatus: 403 } } } }),
      {
        status: 403,
        headers: { "content-type": "application/json" },
      },
    );
    const refused = fakeFetch([() => forbidden, () => ok([])]);
    await expect(client(refused.fetch).team.list.query({ orgId: ORG })).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
    expect(refused.seen).toHaveLength(1);
  });

  it("retries a mutation under one fresh Idempotency-Key per call (the server runs it at most once)", async () => {
    const { fetch, seen } = fakeFetch([() => unavailable(), () => ok({}), () => ok({})]);
    const c = client(fetch);
    await c.team.create.mutate({ orgId: ORG, name: "Ops" });
    await c.team.create.mutate({ orgId: ORG, name: "Ops" });
    expect(seen.map((s) => s.method)).toEqual(["POST", "POST", "POST"]);
    const keys = seen.map((s) => s.headers.get("idempotency-key"));
    for (const key of keys) expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[0]).toBe(keys[1]); // the retry of the first call
    expect(keys[2]).not.toBe(keys[0]); // the second call
  });

  it("asks again when the server says the same key's first attempt is still running, and not on other conflicts", async () => {
    const conflict = (reason: string) => () =>
      new Response(
        JSON.stringify({
          error: { json: { message: "busy", code: -32009, data: { code: "CONFLICT", httpStatus: 409, details: { reason } } } },
        }),
        { status: 409, headers: { "content-type": "application/json" } },
      );
    const busy = fakeFetch([conflict("IDEMPOTENCY_IN_PROGRESS"), () => ok({})]);
    await client(busy.fetch).team.create.mutate({ orgId: ORG, name: "Ops" });
    expect(busy.seen).toHaveLength(2);
    const taken = fakeFetch([conflict("TEAM_NAME_TAKEN"), () => ok({})]);
    await expect(client(taken.fetch).team.create.mutate({ orgId: ORG, name: "Ops" })).rejects.toMatchObject({ data: { code: "CONFLICT" } });
    expect(taken.seen).toHaveLength(1);
  });

  it("sends the caller's own idempotency key on every attempt", async () => {
    const { fetch, seen } = fakeFetch([() => unavailable(), () => unavailable(), () => ok({})]);
    await client(fetch).team.create.mutate({ orgId: ORG, name: "Ops" }, { context: { idempotencyKey: "order-42" } });
    expect(seen.map((s) => s.headers.get("idempotency-key"))).toEqual(["order-42", "order-42", "order-42"]);
  });
});

describe("retry timing", () => {
  it("reads Retry-After as seconds or as a date", () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("garbage")).toBeUndefined();
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter(new Date(1_000).toUTCString(), 4_000)).toBe(0);
  });

  it("backs off exponentially with full jitter, capped", () => {
    expect(backoffDelay(0, 100, 1000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 100, 1000, () => 0.5)).toBe(400);
    expect(backoffDelay(10, 100, 1000, () => 0.999)).toBe(999);
    expect(backoffDelay(2, 100, 1000, () => 0)).toBe(0);
  });
});
