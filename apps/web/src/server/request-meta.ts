/** Reads one header; fits both `Headers` and next-auth's plain header records. */
export type HeaderSource = Pick<Headers, "get"> | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | null {
  if (typeof source.get === "function") return (source as Pick<Headers, "get">).get(name);
  const value = (source as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(value) ? value.join(",") : value) ?? null;
}

/**
 * The caller's address, for rate limits and audit records. Route handlers cannot see the
 * socket, so the launcher (launch.mjs) computes the address — the socket's peer, or what a
 * proxy trusted by TRUST_PROXY reports — and hands Next exactly that as `x-forwarded-for`,
 * having dropped whatever the client sent (X-Real-IP and Forwarded included). Serve the
 * console through the launcher (`pnpm start`): a bare `next start` would pass a client's own
 * X-Forwarded-For through.
 */
export function clientIp(source: HeaderSource): string | null {
  const candidate = header(source, "x-forwarded-for")
    ?.split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .at(-1);
  return candidate ? candidate.slice(0, 64) : null;
}

/** The User-Agent, cut to a length fit for a log line or an audit row. */
export function userAgent(source: HeaderSource): string | null {
  return header(source, "user-agent")?.slice(0, 512) || null;
}
