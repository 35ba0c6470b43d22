/**
 * Passes an upstream's server-sent events to the client as they arrive — each event is sent as
 * soon as its blank line is read, nothing is held back for later — while watching them for what
 * charging needs: the final usage chunk (`stream_options.include_usage`), and how much completion
 * text reached the client, for when the stream ends without that chunk (broken upstream, idle
 * timeout, client gone).
 */
export interface StreamUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface RelayOutcome {
  /** The upstream's own count, when its usage chunk arrived. */
  usage: StreamUsage | null;
  /** UTF-8 bytes of completion text (content, refusals, tool-call arguments) handed to the client. */
  deliveredBytes: number;
  /** Events with completion text handed to the client. */
  deliveredEvents: number;
  /** How it ended: "done" (the upstream finished), "upstream_error", "idle_timeout" or "client_cancelled". */
  ending: "done" | "upstream_error" | "idle_timeout" | "client_cancelled";
}

export interface RelayOptions {
  /** Forward the usage-only chunk (the client asked for it); otherwise it is dropped, as the client expects none. */
  keepUsageChunk: boolean;
  /** Longest wait for the next bytes from the upstream. */
  idleTimeoutMs: number;
  /** Stops the upstream request (the relay stopped reading). */
  abortUpstream: () => void;
  /** Called once, when the relay ends for any reason. */
  onEnd: (outcome: RelayOutcome) => void;
}

type Chunk = {
  usage?: StreamUsage | null;
  choices?: { delta?: { content?: unknown; refusal?: unknown; tool_calls?: { function?: { arguments?: unknown } }[] } }[];
};

const EVENT_END = /\r?\n\r?\n/;
const byteLength = (value: unknown) => (typeof value === "string" ? Buffer.byteLength(value, "utf8") : 0);

/** The completion text an event carries, in bytes. */
function completionBytes(chunk: Chunk): number {
  let bytes = 0;
  for (const choice of chunk.choices ?? []) {
    const delta = choice?.delta;
    if (!delta) continue;
    bytes += byteLength(delta.content) + byteLength(delta.refusal);
    for (const call of delta.tool_calls ?? []) bytes += byteLength(call?.function?.arguments);
  }
  return bytes;
}

function dataOf(event: string): string | null {
  const lines = event.split(/\r?\n/).filter((line) => line.startsWith("data:"));
  if (lines.length === 0) return null;
  return lines.map((line) => line.slice(5).replace(/^ /, "")).join("\n");
}

export function relaySse(
  upstream: ReadableStream<Uint8Array>,
  options: RelayOptions,
): { stream: ReadableStream<Uint8Array>; cancel: () => void } {
  const reader = upstream.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const outcome: RelayOutcome = { usage: null, deliveredBytes: 0, deliveredEvents: 0, ending: "done" };
  let pending = "";
  let ended = false;

  const end = (ending: RelayOutcome["ending"]) => {
    if (ended) return;
    ended = true;
    outcome.ending = ending;
    if (ending !== "done") options.abortUpstream();
    reader.cancel().catch(() => {});
    options.onEnd(outcome);
  };

  /** The complete events in `pending`, each as it should reach the client (or null: dropped). */
  function takeEvents(): string[] {
    const out: string[] = [];
    for (;;) {
      const match = EVENT_END.exec(pending);
      if (!match) return out;
      const event = pending.slice(0, match.index);
      pending = pending.slice(match.index + match[0].length);
      const data = dataOf(event);
      if (data === null || data === "[DONE]") {
        out.push(event);
        continue;
      }
      let chunk: Chunk | null = null;
      try {
        chunk = JSON.parse(data) as Chunk;
      } catch {
        // Not JSON: not ours to judge, pass it on.
      }
      if (chunk?.usage && typeof chunk.usage.prompt_tokens === "number") outcome.usage = chunk.usage;
      const usageOnly = chunk?.usage != null && (chunk.choices ?? []).length === 0;
      if (usageOnly && !options.keepUsageChunk) continue;
      if (chunk) {
        const bytes = completionBytes(chunk);
        if (bytes > 0) {
          outcome.deliveredBytes += bytes;
          outcome.deliveredEvents += 1;
        }
      }
      out.push(event);
    }
  }

  const readWithTimeout = () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), options.idleTimeoutMs);
    });
    return Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // Read until at least one whole event can go out (or the upstream ends).
        for (;;) {
          let result: Awaited<ReturnType<typeof readWithTimeout>>;
          try {
            result = await readWithTimeout();
          } catch {
            if (ended) return;
            end("upstream_error");
            controller.error(new Error("The upstream stream broke"));
            return;
          }
          if (ended) return;
          if (result === "timeout") {
            end("idle_timeout");
            controller.error(new Error("The upstream stopped sending"));
            return;
          }
          if (result.done) {
            pending += decoder.decode();
            const events = takeEvents();
            if (events.length) controller.enqueue(encoder.encode(`${events.join("\n\n")}\n\n`));
            end("done");
            controller.close();
            return;
          }
          pending += decoder.decode(result.value, { stream: true });
          const events = takeEvents();
          if (events.length) {
            controller.enqueue(encoder.encode(`${events.join("\n\n")}\n\n`));
            return;
          }
        }
      },
      cancel() {
        end("client_cancelled");
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, cancel: () => end("client_cancelled") };
}
