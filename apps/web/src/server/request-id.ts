import { randomUUID } from "node:crypto";

// A caller-supplied id is kept only if it is short and plain: it is echoed in a response
// header and written to logs, so nothing that could forge either gets through.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's correlation id: the proxy's/client's `x-request-id` if sane, else a new one. */
export function requestIdFrom(headers: Pick<Headers, "get">): string {
  const given = headers.get("x-request-id");
  return given && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}
