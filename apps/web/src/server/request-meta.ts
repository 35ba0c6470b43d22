/** Reads one header; fits both `Headers` and next-auth's plain header records. */
export type HeaderSource = Pick<Headers, "get"> | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | null {
  if (typeof source.get === "function") return (source as Pick<Headers, "get">).get(name);
  const value = (source as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(value) ? value.join(",") : value) ?? null;
}

/**
 * The caller's address, for rate limits and audit records. Next.js fills in
 * `x-forwarded-for` with the socket's address when no proxy set it; a proxy appends the
 * address it saw, so the last entry is the one the nearest hop vouches for (earlier entries
 * are whatever the client claimed). `x-real-ip` is the fallback some proxies use instead.
 */
export function clientIp(source: HeaderSource): string | null {
  const forwarded = header(source, "x-forwarded-for")
    ?.split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const candidate = forwarded?.at(-1) ?? header(source, "x-real-ip")?.trim() ?? null;
  return candidate ? candidate.slice(0, 64) : null;
}

/** The User-Agent, cut to a length fit for a log line or an audit row. */
export function userAgent(source: HeaderSource): string | null {
  return header(source, "user-agent")?.slice(0, 512) || null;
}
