import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/**
 * Webhook targets must be public: a URL naming (or resolving to) a private, loopback,
 * link-local, CGNAT, multicast, reserved or documentation address would let an organization make
 * the server call into its own network (SSRF). Checked when a channel is saved and again at every
 * send, on the addresses DNS gives then (the request connects to the address checked, so a name
 * that re-resolves elsewhere between check and connect gains nothing). ALERT_WEBHOOK_ALLOW_PRIVATE=1
 * lifts the address rule (tests and closed networks); the scheme rule always holds.
 */
export class UnsafeWebhookUrlError extends Error {}

const V4_BLOCKED: [string, number][] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local (cloud metadata lives here)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];

function v4ToInt(address: string): number {
  return address.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

function v4Blocked(address: string): boolean {
  const value = v4ToInt(address);
  return V4_BLOCKED.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    const start = v4ToInt(base);
    return value >= start && value < start + size;
  });
}

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail allowed). */
function v6Groups(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, "");
  const v4Tail = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4Tail?.[1]) {
    const n = v4ToInt(v4Tail[1]);
    text = `${text.slice(0, -v4Tail[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (s: string) => (s ? s.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill(0);
  return [...h, ...fill, ...t];
}

function v6Blocked(address: string): boolean {
  const g = v6Groups(address);
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embeddedV4 = `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`;
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (firstFiveZero && g5 === 0xffff) return v4Blocked(embeddedV4); // IPv4-mapped
  if (firstFiveZero && g5 === 0) return true; // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
  if (g0 === 0x64 && g1 === 0xff9b) return true; // NAT64 (reaches an IPv4 address of the operator's choosing)
  if (g0 === 0x2002) return true; // 6to4 (embeds an IPv4 address)
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // documentation
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // discard
  if ((g0 & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return true; // site-local (deprecated)
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  return false;
}

/** Whether an IP address (v4 or v6) is one a webhook may not reach. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  const bare = address.replace(/^\[|\]$/g, "");
  if (family === 4) return v4Blocked(bare);
  if (family === 6) return v6Blocked(bare);
  return true; // not an address at all: refuse rather than guess
}

export const allowPrivateTargets = (env: NodeJS.ProcessEnv = process.env) => env.ALERT_WEBHOOK_ALLOW_PRIVATE === "1";

/** The URL, parsed, if its form is acceptable (http or https, a host, no credentials); throws otherwise. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeWebhookUrlError("not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UnsafeWebhookUrlError("only http and https URLs");
  if (!url.hostname) throw new UnsafeWebhookUrlError("no host");
  if (url.username || url.password) throw new UnsafeWebhookUrlError("credentials in the URL");
  return url;
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;
const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Checks a URL and resolves its host; returns the addresses a request may connect to (all
 * checked). Refuses when any address is blocked: a name with one private address among public
 * ones is refused, not filtered.
 */
export async function vetWebhookUrl(
  raw: string,
  options: { allowPrivate?: boolean; resolve?: Resolver } = {},
): Promise<{ url: URL; addresses: { address: string; family: number }[] }> {
  const url = parseWebhookUrl(raw);
  const allowPrivate = options.allowPrivate ?? allowPrivateTargets();
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const literal = isIP(host);
  let addresses: { address: string; family: number }[];
  if (literal) addresses = [{ address: host, family: literal }];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch {
      throw new UnsafeWebhookUrlError("the host does not resolve");
    }
    if (addresses.length === 0) throw new UnsafeWebhookUrlError("the host does not resolve");
  }
  if (!allowPrivate && addresses.some((a) => isBlockedAddress(a.address)))
    throw new UnsafeWebhookUrlError("the host is a private, loopback, link-local or reserved address");
  return { url, addresses };
}
