import { randomUUID } from "node:crypto";
import type { AppRouter } from "@aihub/api";
import { createTRPCClient, httpLink, isTRPCClientError, type TRPCClient, TRPCClientError } from "@trpc/client";
import superjson from "superjson";

export type { AppRouter };
export { isTRPCClientError, TRPCClientError };
export type AiHubClient = TRPCClient<AppRouter>;
export type AiHubClientError = TRPCClientError<AppRouter>;

export interface AiHubClientOptions {
  /** The router's base URL, e.g. `http://127.0.0.1:4000/trpc`. */
  url: string;
  /** An organization API key, `aih_live_…` or `aih_test_…`. Sent as `Authorization: Bearer …`. */
  apiKey: string;
  /** A `fetch` to use instead of the global one (tests, proxies, instrumentation). */
  fetch?: typeof globalThis.fetch;
  /** How many times a retryable call is tried again after the first attempt. Default 2. */
  retries?: number;
  /** Per attempt: an attempt that takes longer is aborted (and counts as a network error). Default 30 s. */
  timeoutMs?: number;
  /** First backoff step; each retry doubles it, with full jitter. Default 250 ms. */
  retryBaseDelayMs?: number;
  /** Longest wait before a retry. A `Retry-After` longer than this is not waited for: the error is returned. Default 5 s. */
  maxRetryDelayMs?: number;
}

/** Per-call options, passed as `{ context: { idempotencyKey } }` to `.mutate()`. */
export interface AiHubCallContext {
  /**
   * Sent as `Idempotency-Key`. Without it each call gets a fresh random key, the same for all
   * of that call's retries. Give your own to make a retry of *your* operation (e.g. after your
   * process restarted) land on the first result: the server answers a repeated key with the
   * first call's result for 24 hours.
   */
  idempotencyKey?: string;
}

type FetchInput = Parameters<typeof globalThis.fetch>[0];
type FetchInit = NonNullable<Parameters<typeof globalThis.fetch>[1]>;

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** A 409 saying the same idempotent request is still running: worth asking again shortly. */
async function stillInProgress(response: Response): Promise<boolean> {
  if (response.status !== 409) return false;
  const body = await response
    .clone()
    .json()
    .catch(() => null);
  return JSON.stringify(body ?? null).includes('"reason":"IDEMPOTENCY_IN_PROGRESS"');
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base · 2^attempt)]. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

const sleep = (ms: number, signal?: AbortSignal | null) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/**
 * A typed client of the AI Hub router for internal TypeScript services, authenticated with an
 * organization API key. Calls are retried on network errors, timeouts and 429/502/503/504
 * (honouring `Retry-After` up to `maxRetryDelayMs`). Every mutation carries an `Idempotency-Key`
 * header, the same on each of its retries, so the server runs it at most once; a 409 saying that
 * key's first attempt is still running is retried too.
 */
export function createAiHubClient(options: AiHubClientOptions): AiHubClient {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const retries = Math.max(0, options.retries ?? 2);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const baseDelay = options.retryBaseDelayMs ?? 250;
  const maxDelay = options.maxRetryDelayMs ?? 5_000;

  const retryingFetch = async (input: FetchInput, init?: FetchInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const method = (init?.method ?? "GET").toUpperCase();
    // A mutation may be repeated only under its idempotency key (the server deduplicates on it).
    const retryable = method === "GET" || headers.get("idempotency-key") !== null;
    const callerSignal = init?.signal ?? null;
    const maxAttempts = retryable ? retries + 1 : 1;
    for (let attempt = 0; ; attempt++) {
      const signals = [AbortSignal.timeout(timeoutMs), ...(callerSignal ? [callerSignal] : [])];
      const last = attempt + 1 >= maxAttempts;
      let response: Response;
      try {
        response = await baseFetch(input, { ...init, signal: AbortSignal.any(signals) });
      } catch (error) {
        if (last || callerSignal?.aborted) throw error;
        await sleep(backoffDelay(attempt, baseDelay, maxDelay), callerSignal);
        continue;
      }
      if (last || !(RETRYABLE_STATUS.has(response.status) || (await stillInProgress(response)))) return response;
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      if (retryAfter !== undefined && retryAfter > maxDelay) return response;
      await response.body?.cancel().catch(() => {});
      await sleep(retryAfter ?? backoffDelay(attempt, baseDelay, maxDelay), callerSignal);
    }
  };

  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: options.url,
        transformer: superjson,
        fetch: (input, init) => retryingFetch(input as FetchInput, init as FetchInit),
        headers: ({ op }) => {
          const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}` };
          if (op.type === "mutation") headers["idempotency-key"] = (op.context as AiHubCallContext).idempotencyKey ?? randomUUID();
          return headers;
        },
      }),
    ],
  });
}
