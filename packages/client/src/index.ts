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
   * Sent as `Idempotency-Key`. Given by the caller, it makes the mutation retryable: the caller
   * promises that repeating the call with the same key is safe. Without it each mutation gets a
   * fresh random key and is never retried.
   */
  idempotencyKey?: string;
}

type FetchInput = Parameters<typeof globalThis.fetch>[0];
type FetchInit = NonNullable<Parameters<typeof globalThis.fetch>[1]>;

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

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
 * organization API key. Queries are retried on network errors, timeouts and 429/502/503/504
 * (honouring `Retry-After` up to `maxRetryDelayMs`); mutations are retried only when the caller
 * gives an idempotency key. Every mutation carries an `Idempotency-Key` header.
 */
export function createAiHubClient(options: AiHubClientOptions): AiHubClient {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const retries = Math.max(0, options.retries ?? 2);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const baseDelay = options.retryBaseDelayMs ?? 250;
  const maxDelay = options.maxRetryDelayMs ?? 5_000;
  /** Idempotency keys the caller chose: requests carrying one of them may be repeated. */
  const callerKeys = new Map<string, number>();

  const retryingFetch = async (input: FetchInput, init?: FetchInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const method = (init?.method ?? "GET").toUpperCase();
    const idempotencyKey = headers.get("idempotency-key");
    const retryable = method === "GET" || (idempotencyKey !== null && callerKeys.has(idempotencyKey));
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
      if (last || !RETRYABLE_STATUS.has(response.status)) return response;
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
        fetch: async (input, init) => {
          const headers = new Headers(init?.headers as FetchInit["headers"]);
          const key = headers.get("idempotency-key");
          try {
            return await retryingFetch(input as FetchInput, init as FetchInit);
          } finally {
            const count = key === null ? undefined : callerKeys.get(key);
            if (key !== null && count !== undefined) {
              if (count > 1) callerKeys.set(key, count - 1);
              else callerKeys.delete(key);
            }
          }
        },
        headers: ({ op }) => {
          const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}` };
          if (op.type === "mutation") {
            const chosen = (op.context as AiHubCallContext).idempotencyKey;
            if (chosen) callerKeys.set(chosen, (callerKeys.get(chosen) ?? 0) + 1);
            headers["idempotency-key"] = chosen ?? randomUUID();
          }
          return headers;
        },
      }),
    ],
  });
}
