import { QueryClient } from "@tanstack/react-query";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Server-rendered data is fresh on arrival; don't refetch it the moment the page hydrates.
      queries: { staleTime: 30_000 },
    },
  });
}
