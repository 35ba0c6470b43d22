import { describe, expect, it } from "vitest";
import { type RelayOutcome, relaySse } from "./sse-relay.js";

/** An upstream body that sends these byte pieces, then ends (or fails). */
function upstream(pieces: string[], fail = false): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[i++];
      if (piece !== undefined) controller.enqueue(encoder.encode(piece));
      else if (fail) controller.error(new Error("cut"));
      else controller.close();
    },
  });
}

async function run(pieces: string[], options: { keepUsageChunk?: boolean; fail?: boolean } = {}) {
  let outcome: RelayOutcome | null = null;
  let aborted = false;
  const { stream } = relaySse(upstream(pieces, options.fail), {
    keepUsageChunk: options.keepUsageChunk ?? false,
    idleTimeoutMs: 5_000,
    abortUpstream: () => {
      aborted = true;
    },
    onEnd: (o) => {
      outcome = o;
    },
  });
  const reader = stream.getReader();
  const out: string[] = [];
  let broke = false;
  for (;;) {
    const next = await reader.read().catch(() => null);
    if (!next) broke = true;
    if (!next || next.done) break;
    out.push(new TextDecoder().decode(next.value));
  }
  return { out, text: out.join(""), outcome: outcome as RelayOutcome | null, aborted, broke };
}

const chunk = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}`;
const usage = `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } })}`;

describe("the server-sent events relay", () => {
  it("sends each event once it is complete, even when it arrives split across reads and with CRLF framing", async () => {
    const first = chunk("héllo");
    const { out, text, outcome } = await run([
      first.slice(0, 10),
      `${first.slice(10)}\r\n\r\n${chunk(" world")}\n`,
      "\n",
      "data: [DONE]\n\n",
    ]);
    expect(text).toBe(`${first}\n\n${chunk(" world")}\n\ndata: [DONE]\n\n`);
    // Nothing waits for the end: the first event went out before the second was complete.
    expect(out[0]).toBe(`${first}\n\n`);
    expect(outcome).toEqual({ usage: null, deliveredBytes: Buffer.byteLength("héllo world"), deliveredEvents: 2, ending: "done" });
  });

  it("reads the usage chunk and drops it unless the client asked for it", async () => {
    const dropped = await run([`${chunk("a")}\n\n${usage}\n\ndata: [DONE]\n\n`]);
    expect(dropped.text).not.toContain("usage");
    expect(dropped.outcome?.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3 });
    const kept = await run([`${chunk("a")}\n\n${usage}\n\ndata: [DONE]\n\n`], { keepUsageChunk: true });
    expect(kept.text).toContain(usage);
  });

  it("counts tool-call arguments and refusals as delivered text, and passes what is not JSON untouched", async () => {
    const tool = `data: ${JSON.stringify({ choices: [{ delta: { tool_calls: [{ function: { arguments: '{"a":1}' } }], refusal: "no" } }] })}`;
    const { text, outcome } = await run([`: keep-alive\n\n${tool}\n\ndata: not json\n\n`]);
    expect(text).toBe(`: keep-alive\n\n${tool}\n\ndata: not json\n\n`);
    expect(outcome?.deliveredBytes).toBe(Buffer.byteLength('{"a":1}no'));
  });

  it("on a cut upstream: the client's stream breaks after what was delivered, counted, and the upstream is aborted", async () => {
    const { text, outcome, aborted, broke } = await run([`${chunk("abc")}\n\n`, `${chunk("de")}`], { fail: true });
    expect(broke).toBe(true);
    expect(text).toBe(`${chunk("abc")}\n\n`);
    expect(outcome).toMatchObject({ usage: null, deliveredBytes: 3, deliveredEvents: 1, ending: "upstream_error" });
    expect(aborted).toBe(true);
  });
});
