/**
 * Where to send the user after signing in: a path on this site, never another origin.
 * Relative paths are kept; an absolute URL (next-auth passes full URLs) keeps only its path,
 * query and fragment, so `https://evil.example/x` becomes `/x` on our own host. Anything
 * odd — protocol-relative `//host`, backslashes, the auth pages themselves — falls back to `/`.
 */
export function safeCallbackPath(value: string | string[] | null | undefined, fallback = "/"): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || raw.length > 2048) return fallback;
  let url: URL;
  try {
    // The base only anchors relative paths; its host never survives into the result.
    url = new URL(raw, "http://callback.invalid");
  } catch {
    return fallback;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return fallback;
  if (raw.startsWith("/") && (raw.startsWith("//") || raw.startsWith("/\\"))) return fallback;
  if (!raw.startsWith("/") && url.host === "callback.invalid") return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  if (AUTH_PAGES.some((page) => url.pathname === page)) return fallback;
  return path;
}

/** Pages a signed-in user should not be sent back to. */
const AUTH_PAGES = ["/sign-in", "/sign-up"];
