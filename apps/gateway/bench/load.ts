import autocannon from "autocannon";

/** One request: its path (with query), headers, and for a POST its JSON body; drawn afresh for every request sent. */
export interface RequestParts {
  path: string;
  headers?: Record<string, string>;
  method?: "GET" | "POST";
  body?: string;
}
export type RequestSpec = () => RequestParts;

/**
 * Requests sent in turn on each connection, each built from what the previous answers left in
 * the connection's context (e.g. a reservation, then its settlement).
 */
export interface SequenceStep {
  request: (context: Record<string, unknown>) => RequestParts;
  /** Reads what the next step needs from a (2xx) answer's body. */
  onResponse?: (body: string, context: Record<string, unknown>) => void;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  perSecond: number;
  errors: number;
  /** Non-2xx answers by status code (why `errors` is not 0). */
  refusedByStatus: Record<string, number>;
  /** Exact percentiles of every response's time, ms. */
  p50: number;
  p95: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] as number;
}

/**
 * Closed-loop load from `connections` keep-alive connections for `seconds` (autocannon), with
 * the response time of every response kept, so p95 is exact rather than autocannon's nearest
 * bucket. Anything but a 2xx counts as an error.
 */
export async function runLoad(base: string, spec: RequestSpec | SequenceStep[], connections: number, seconds: number): Promise<LoadResult> {
  const steps: SequenceStep[] = Array.isArray(spec) ? spec : [{ request: () => spec() }];
  const times: number[] = [];
  let errors = 0;
  const refusedByStatus: Record<string, number> = {};
  let finish: (result: autocannon.Result) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: base,
      connections,
      duration: seconds,
      timeout: 10,
      requests: steps.map((step) => ({
        setupRequest: (request: autocannon.Request, context: object) => {
          const { path, headers, method = "GET", body } = step.request(context as Record<string, unknown>);
          const json = body === undefined ? {} : { "content-type": "application/json" };
          return { ...request, method, path, body, headers: { ...request.headers, ...json, ...headers } };
        },
        onResponse: step.onResponse
          ? (status: number, body: string, context: object) => {
              if (status >= 200 && status < 300) step.onResponse?.(body, context as Record<string, unknown>);
            }
          : undefined,
      })),
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    times.push(responseTime);
    if (statusCode < 200 || statusCode >= 300) {
      errors++;
      refusedByStatus[statusCode] = (refusedByStatus[statusCode] ?? 0) + 1;
    }
  });
  const result = await finished;
  times.sort((a, b) => a - b);
  const failures = result.errors + result.timeouts;
  return {
    connections,
    seconds,
    requests: times.length,
    perSecond: times.length / seconds,
    errors: errors + failures,
    refusedByStatus,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  };
}
