import { QueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";

const MAX_RETRIES = 3;

/** The HTTP status of a tRPC refusal, when the error is one. */
function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = error.data as { httpStatus?: unknown } | undefined;
  return typeof data?.httpStatus === "number" ? data.httpStatus : undefined;
}

/**
 * Retries only what may pass on a second try (network, 5xx): a refusal — not found, forbidden,
 * bad input — answers the same every time, so the page shows it at once instead of after
 * seconds of backed-off retries (an unknown team, say).
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 400 && status < 500) return false;
  return failureCount < MAX_RETRIES;
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Server-rendered data is fresh on arrival; don't refetch it the moment the page hydrates.
      queries: { staleTime: 30_000, retry: shouldRetry },
    },
  });
}
