import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * The gateway's structured log: one JSON object per line on stdout (or `destination`), each
 * request's lines carrying its request id. Nothing a caller sends in headers or bodies is logged
 * — only method, path without its query, status and timings — so no key or token can reach a log
 * line; the redaction below is a second wall for anything that tries to log a request object.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      base: { service: "gateway", pid: process.pid },
      redact: {
        paths: ["authorization", "*.authorization", "headers.authorization", "*.headers.authorization", "*.headers.cookie"],
        censor: "[redacted]",
      },
    },
    // A stream, not pino's own file-descriptor writer: whatever holds stdout sees the lines too.
    options.destination ?? process.stdout,
  );
}
