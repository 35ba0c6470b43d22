import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local OpenAI-compatible provider for tests: chat completions (streamed or not), embeddings
 * and the model list, with what it does set per test — latency before answering, an HTTP
 * failure, the usage it reports, the streamed pieces and their pace, and a stream cut after
 * some pieces. It records every request's body and whether the caller went away before the
 * answer was complete (a cancelled upstream call).
 */
export interface FakeBehaviour {
  /** Milliseconds before the response headers. */
  latencyMs: number;
  /** Answer with this status and an OpenAI-shaped error instead. */
  failWith: number | null;
  usage: { prompt_tokens: number; completion_tokens: number };
  /** The completion, as the streamed pieces (joined for a non-streamed answer). */
  pieces: string[];
  /** Milliseconds between streamed pieces. */
  pieceDelayMs: number;
  /** Cut the connection after this many pieces (no usage chunk, no [DONE]). */
  breakAfter: number | null;
}

export const DEFAULT_BEHAVIOUR: FakeBehaviour = {
  latencyMs: 0,
  failWith: null,
  usage: { prompt_tokens: 37, completion_tokens: 11 },
  pieces: ["Hello", ", ", "world", "!"],
  pieceDelayMs: 0,
  breakAfter: null,
};

export interface FakeUpstream {
  url: string;
  behaviour: FakeBehaviour;
  requests: { path: string; body: Record<string, unknown> }[];
  /** Requests whose caller closed the connection before the answer ended. */
  cancelled: number;
  reset(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const fake: FakeUpstream = {
    url: "",
    behaviour: { ...DEFAULT_BEHAVIOUR },
    requests: [],
    cancelled: 0,
    reset() {
      fake.behaviour = { ...DEFAULT_BEHAVIOUR };
      fake.requests = [];
      fake.cancelled = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer(async (req, res) => {
    const b = fake.behaviour;
    const path = (req.url ?? "").replace(/^\/v1/, "");
    let finished = false;
    res.on("close", () => {
      if (!finished) fake.cancelled += 1;
    });
    const body = req.method === "POST" ? await bodyOf(req) : {};
    fake.requests.push({ path, body });
    if (b.latencyMs) await sleep(b.latencyMs);
    if (res.destroyed) return;
    const json = (status: number, value: unknown) => {
      finished = true;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (b.failWith) return json(b.failWith, { error: { message: "upstream exploded", type: "server_error", code: null } });
    if (path === "/models") return json(200, { object: "list", data: [{ id: "gpt-test", object: "model" }] });
    if (path === "/embeddings") {
      return json(200, {
        object: "list",
        data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2, 0.3] }],
        model: body.model,
        usage: { prompt_tokens: b.usage.prompt_tokens, total_tokens: b.usage.prompt_tokens },
      });
    }
    const base = { id: "chatcmpl-fake", created: 1_700_000_000, model: body.model };
    if (body.stream !== true) {
      return json(200, {
        ...base,
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: b.pieces.join("") }, finish_reason: "stop" }],
        usage: { ...b.usage, total_tokens: b.usage.prompt_tokens + b.usage.completion_tokens },
      });
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const send = (value: unknown) => res.write(`data: ${JSON.stringify(value)}\n\n`);
    for (const [i, piece] of b.pieces.entries()) {
      if (b.breakAfter !== null && i >= b.breakAfter) {
        res.destroy();
        return;
      }
      if (res.destroyed) return;
      send({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
      if (b.pieceDelayMs) await sleep(b.pieceDelayMs);
    }
    send({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    if (includeUsage)
      send({
        ...base,
        object: "chat.completion.chunk",
        choices: [],
        usage: { ...b.usage, total_tokens: b.usage.prompt_tokens + b.usage.completion_tokens },
      });
    finished = true;
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
