import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { costOf, createModelWorld, MODEL, type ModelWorld, orgCounter, reservationsOf, settled } from "./testing/model-world.js";

/**
 * The OpenAI-compatible model routes against a local fake provider: exact charges from the
 * provider's usage, streams passed through and charged from their usage chunk, broken streams
 * and vanished clients charged for what was delivered (never zero, never above the hold),
 * provider failures and timeouts mapped and charging nothing, errors in OpenAI's shape, and the
 * official `openai` client working unchanged. Costs: 1 micro-unit per input token, 2 per output token.
 */
let w: ModelWorld;
let key: string;

beforeAll(async () => {
  w = await createModelWorld();
  key = await w.key();
  await w.owner.budget.set({ orgId: w.orgId, scope: "organization", periodLimit: "100000000", hardLimit: true });
});
afterAll(() => w?.close());
beforeEach(() => w.fake.reset());

const post = (path: string, body: unknown, apiKey = key, signal?: AbortSignal) =>
  fetch(`${w.base}/v1${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
const chat = (extra: Record<string, unknown> = {}) => ({ model: MODEL, messages: [{ role: "user", content: "Say hello" }], ...extra });

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const jsonOf = (res: Response) => res.json() as Promise<Record<string, any>>;

/** The `data:` payloads of a server-sent event stream. */
const eventsOf = (text: string) =>
  text
    .split("\n\n")
    .filter((e) => e.startsWith("data: "))
    .map((e) => e.slice(6));

describe("chat completions (fake upstream)", () => {
  it("charges a non-streamed call exactly the provider's usage, priced, to the key and the organization", async () => {
    const k = await w.key();
    const before = await orgCounter(w);
    w.fake.behaviour.usage = { prompt_tokens: 123, completion_tokens: 45 };
    const res = await post("/chat/completions", chat({ model: "fast" }), k);
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body.choices[0].message.content).toBe("Hello, world!");
    // The alias reached the provider as its model; with no max_tokens given, the cap was sent.
    expect(w.fake.requests[0]?.body).toMatchObject({ model: MODEL, max_tokens: 4096 });
    const timing = res.headers.get("server-timing") ?? "";
    for (const name of ["auth", "ratelimit", "budget", "upstream"]) expect(timing).toContain(`${name};dur=`);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const [r] = await reservationsOf(w, k);
    expect(r).toMatchObject({ state: "settled", input: "123", output: "45", actual_cost: String(costOf(123, 45)) });
    const after = await orgCounter(w);
    expect(after.spend - before.spend).toBe(costOf(123, 45));
    expect(after.reserved).toBe(0n);
  });

  it("attributes the charge to the key, its team and the organization, and stores no prompt or completion", async () => {
    const team = await w.owner.team.create({ orgId: w.orgId, name: "Model team" });
    const k = await w.key({ teamId: team.id });
    const res = await post("/chat/completions", chat({ messages: [{ role: "user", content: "a secret prompt" }] }), k);
    expect(res.status).toBe(200);
    const { rows } = await w.admin.query(
      "SELECT team_id, api_key_id, member_id, model, metadata FROM usage_records WHERE organization_id = $1 AND api_key_id = $2",
      [w.orgId, w.idOf(k)],
    );
    expect(rows).toEqual([
      {
        team_id: team.id,
        api_key_id: w.idOf(k),
        member_id: null,
        model: MODEL,
        metadata: { requestId: res.headers.get("x-request-id"), estimated: false },
      },
    ]);
  });

  it("passes a stream through, drops the usage chunk the client did not ask for, and charges the final usage", async () => {
    const k = await w.key();
    w.fake.behaviour.usage = { prompt_tokens: 20, completion_tokens: 4 };
    const res = await post("/chat/completions", chat({ stream: true }), k);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = eventsOf(await res.text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("Hello, world!");
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    expect(w.fake.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const [r] = await settled(w, k);
    expect(r).toMatchObject({ state: "settled", input: "20", output: "4", actual_cost: String(costOf(20, 4)) });

    // Asked for: the usage chunk reaches the client too.
    const withUsage = eventsOf(
      await (await post("/chat/completions", chat({ stream: true, stream_options: { include_usage: true } }), k)).text(),
    );
    expect(JSON.parse(withUsage.at(-2) as string)).toMatchObject({ choices: [], usage: { prompt_tokens: 20, completion_tokens: 4 } });
  });

  it("charges a broken stream for what reached the client: more than zero, never more than the hold", async () => {
    const k = await w.key();
    w.fake.behaviour.pieces = ["alpha ", "beta ", "gamma ", "delta"];
    w.fake.behaviour.breakAfter = 2;
    // Paced, so the two pieces leave the provider before it cuts the connection.
    w.fake.behaviour.pieceDelayMs = 30;
    const res = await post("/chat/completions", chat({ stream: true, max_tokens: 50 }), k);
    expect(res.status).toBe(200);
    // The client gets the pieces sent before the cut, then a broken body.
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let received = "";
    let broken = false;
    for (;;) {
      const next = await reader.read().catch(() => null);
      if (!next) broken = true;
      if (!next || next.done) break;
      received += new TextDecoder().decode(next.value);
    }
    expect(broken).toBe(true);
    expect(received).toContain("alpha");
    const [r] = await settled(w, k);
    expect(r?.state).toBe("settled");
    const cost = BigInt(r?.actual_cost as string);
    expect(cost).toBeGreaterThan(0n);
    expect(cost).toBeLessThanOrEqual(BigInt(r?.amount as string));
    // At least the delivered completion ("alpha beta " = 11 bytes) was counted.
    expect(Number(r?.output)).toBeGreaterThanOrEqual(11);
    expect((await orgCounter(w)).reserved).toBe(0n);
  });

  it("cancels the provider call when the client disconnects mid-stream and charges what was delivered", async () => {
    const k = await w.key();
    w.fake.behaviour.pieces = Array.from({ length: 200 }, (_, i) => `w${i} `);
    w.fake.behaviour.pieceDelayMs = 20;
    const controller = new AbortController();
    const res = await post("/chat/completions", chat({ stream: true, max_tokens: 1000 }), k, controller.signal);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    while (!text.includes("w2 ")) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const [r] = await settled(w, k);
    const cost = BigInt(r?.actual_cost as string);
    expect(cost).toBeGreaterThan(0n);
    expect(cost).toBeLessThanOrEqual(BigInt(r?.amount as string));
    // The provider saw its caller go away well before its 200 pieces were sent.
    for (let i = 0; i < 100 && w.fake.cancelled === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(w.fake.cancelled).toBe(1);
    expect(Number(r?.output)).toBeLessThan(200 * 4);
  });

  it("maps a provider failure to 502 and a provider timeout to 504, charging nothing (the hold released)", async () => {
    const k = await w.key();
    const before = await orgCounter(w);
    w.fake.behaviour.failWith = 500;
    const failed = await post("/chat/completions", chat(), k);
    expect(failed.status).toBe(502);
    expect(await jsonOf(failed)).toEqual({
      error: { message: expect.any(String), type: "api_error", param: null, code: "upstream_error" },
    });
    const failedStream = await post("/chat/completions", chat({ stream: true }), k);
    expect(failedStream.status).toBe(502);

    // A connection with a 1 s timeout, and a provider answering after 3 s.
    const slow = await w.owner.provider.create({
      orgId: w.orgId,
      name: "Slow",
      baseUrl: w.fake.url,
      apiKey: "sk-slow-0000",
      models: ["gpt-slow"],
      modelAliases: [{ alias: "gpt-slow", model: MODEL }],
      timeoutMs: 1000,
    });
    w.fake.behaviour.failWith = null;
    w.fake.behaviour.latencyMs = 3000;
    const timedOut = await post("/chat/completions", chat({ model: "gpt-slow" }), k);
    expect(timedOut.status).toBe(504);
    expect((await jsonOf(timedOut)).error).toMatchObject({ type: "timeout_error", code: "upstream_timeout" });
    await w.owner.provider.delete({ orgId: w.orgId, connectionId: slow.id });

    const rows = await reservationsOf(w, k);
    expect(rows.map((r) => r.state)).toEqual(["released", "released", "released"]);
    const after = await orgCounter(w);
    expect(after.spend).toBe(before.spend);
    expect(after.reserved).toBe(0n);
  });
});

describe("refusals in OpenAI's shape (fake upstream)", () => {
  it("401 for a bad key, 404 for an unknown model, 403 for a model the key may not call, 429 with Retry-After", async () => {
    const bad = await post("/chat/completions", chat(), "aih_live_not-a-real-key");
    expect(bad.status).toBe(401);
    expect((await jsonOf(bad)).error).toMatchObject({ type: "authentication_error", code: "invalid_api_key" });
    const unknown = await post("/chat/completions", chat({ model: "no-such-model" }));
    expect(unknown.status).toBe(404);
    expect((await jsonOf(unknown)).error).toMatchObject({ type: "not_found_error", code: "model_not_found" });
    const narrow = await w.key({ allowedModels: ["fast"] });
    expect((await post("/chat/completions", chat(), narrow)).status).toBe(403);
    expect((await post("/chat/completions", chat({ model: "fast" }), narrow)).status).toBe(200);
    const once = await w.key({ rateLimitPerMinute: 1 });
    expect((await post("/chat/completions", chat(), once)).status).toBe(200);
    const limited = await post("/chat/completions", chat(), once);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await jsonOf(limited)).error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    // Nothing reached the provider for any refusal.
    expect(w.fake.requests).toHaveLength(2);
  });

  it("402 naming the refusing budget's scope, and nothing charged or sent", async () => {
    const k = await w.key();
    await w.owner.budget.set({ orgId: w.orgId, scope: "api_key", scopeId: w.idOf(k), periodLimit: "100", hardLimit: true });
    const before = await orgCounter(w);
    const res = await post("/chat/completions", chat({ max_tokens: 1000 }), k);
    expect(res.status).toBe(402);
    expect((await jsonOf(res)).error).toMatchObject({ type: "insufficient_quota", code: "budget_exceeded", scope: "api_key" });
    expect(w.fake.requests).toHaveLength(0);
    expect(await orgCounter(w)).toEqual(before);
  });
});

describe("the official openai client (fake upstream)", () => {
  it("works unchanged: models, chat, streamed chat, embeddings and typed errors", async () => {
    const k = await w.key();
    const client = new OpenAI({ apiKey: k, baseURL: `${w.base}/v1`, maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["fast", MODEL]);
    const completion = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 20 });
    expect(completion.choices[0]?.message.content).toBe("Hello, world!");
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], stream: true });
    let streamed = "";
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? "";
    expect(streamed).toBe("Hello, world!");
    w.fake.behaviour.usage = { prompt_tokens: 9, completion_tokens: 0 };
    const embedding = await client.embeddings.create({ model: MODEL, input: "some text" });
    expect(embedding.data[0]?.embedding).toHaveLength(3);
    await expect(client.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "hi" }] })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    const rows = await settled(w, k);
    expect(rows.map((r) => r.state)).toEqual(["settled", "settled", "settled"]);
    expect(rows[2]).toMatchObject({ input: "9", output: "0", actual_cost: String(costOf(9, 0)) });
  });
});
