import { afterAll } from "vitest";

/**
 * Log capture over the whole suite (a setup file of the unit and integration projects): every
 * line a test file's process writes — console, stdout, stderr, the gateway's pino logs — is
 * searched, after the file's tests, for credentials in the clear: organization API keys
 * (`aih_…`) and personal access tokens (`aihp_…`) have a fixed shape, so any full one found is a
 * leak, whichever test issued it. The file then fails, naming where (never the secret itself).
 */
const CREDENTIAL = /\baihp?_(?:live|test)_[0-9A-Za-z]{49}\b/;

/** The first credential in the clear in `text`, if any. */
export function findCredential(text: string): RegExpExecArray | null {
  return CREDENTIAL.exec(text);
}
const KEEP_CHARS = 4_000_000;

let captured = "";
function capture(text: string): void {
  captured += text;
  // Bounded: a long file keeps its last few megabytes (searched for a match spanning the cut too).
  if (captured.length > KEEP_CHARS * 2) captured = captured.slice(-KEEP_CHARS);
}

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    capture(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    capture(args.map((arg) => (typeof arg === "string" ? arg : safeJson(arg))).join(" "));
    original(...args);
  };
}

function safeJson(value: unknown): string {
  try {
    return value instanceof Error ? `${value.message}\n${value.stack ?? ""}` : JSON.stringify(value);
  } catch {
    return String(value);
  }
}

afterAll(() => {
  const match = findCredential(captured);
  if (match) {
    const at = captured
      .slice(Math.max(0, match.index - 200), match.index)
      .split("\n")
      .pop();
    throw new Error(`A credential (${match[0].slice(0, 9)}…) was written to this file's output, after: ${JSON.stringify(at)}`);
  }
});
