import { BlockList, isIP } from "node:net";

/**
 * Which forwarding headers to believe (TRUST_PROXY):
 * - unset, "" or "0": none — the client is the socket's peer, whatever X-Forwarded-For says;
 * - a hop count "N": N proxies stand in front, each appending the address it saw;
 * - a comma-separated list of addresses and CIDR ranges ("10.0.0.0/8, ::1"): a hop is a proxy
 *   only when its address is in the list.
 */
export type TrustProxy = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "ranges"; ranges: BlockList; text: string };

export const TRUST_NONE: TrustProxy = { kind: "none" };

export class TrustProxyError extends Error {
  override name = "TrustProxyError";
}

/** Parses TRUST_PROXY; throws a TrustProxyError (naming the variable) on anything unclear. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? "";
  if (text === "" || text === "0" || text === "false") return TRUST_NONE;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (!Number.isSafeInteger(hops) || hops > 32) throw new TrustProxyError(`TRUST_PROXY: ${text} hops is not a sensible count`);
    return { kind: "hops", hops };
  }
  const ranges = new BlockList();
  for (const entry of text.split(",").map((part) => part.trim())) {
    const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(entry);
    const address = match ? normalizeAddress(match[1] as string) : null;
    const family = address ? isIP(address) : 0;
    const prefix = match?.[2] === undefined ? (family === 4 ? 32 : 128) : Number(match[2]);
    if (!address || family === 0 || prefix > (family === 4 ? 32 : 128)) {
      throw new TrustProxyError(
        `TRUST_PROXY: "${entry}" is neither a hop count nor an IP address or CIDR range (e.g. TRUST_PROXY=1 or TRUST_PROXY=10.0.0.0/8,::1)`,
      );
    }
    ranges.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
  }
  return { kind: "ranges", ranges, text };
}

/**
 * An address as written in a socket or a forwarding header, reduced to its plain form:
 * brackets, ports and IPv6 zones dropped, IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what a dual-stack
 * socket reports) turned into IPv4, lower case. Null when it is not an IP address at all.
 */
export function normalizeAddress(raw: string | null | undefined): string | null {
  let text = raw?.trim() ?? "";
  if (!text) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1] as string;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  text = text.replace(/%[^%]*$/, "").toLowerCase();
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (mapped && isIP(mapped[1] as string) === 4) return mapped[1] as string;
  return isIP(text) ? text : null;
}

function isTrusted(trust: TrustProxy, address: string): boolean {
  if (trust.kind !== "ranges") return false;
  return trust.ranges.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
}

/** The entries of X-Forwarded-For, nearest hop first (each proxy appends at the end). */
function forwardedChain(forwardedFor: string | string[] | null | undefined): string[] {
  const joined = Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "");
  return joined
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .reverse();
}

/**
 * The client's address for rate limits and audit records: the socket's peer, unless that peer
 * is a trusted proxy — then the address it reports (the last X-Forwarded-For entry), and so on
 * leftwards while the hop is trusted. Entries a trusted hop did not add are the client's own
 * claims and never believed. A malformed entry stops the walk at the last address we know.
 */
export function clientAddress(input: {
  remoteAddress: string | null | undefined;
  forwardedFor?: string | string[] | null | undefined;
  trust: TrustProxy;
}): string | null {
  const socket = normalizeAddress(input.remoteAddress);
  if (input.trust.kind === "none" || socket === null) return socket;
  const chain = forwardedChain(input.forwardedFor);
  let client = socket;
  for (let hop = 0; hop < chain.length; hop++) {
    const trusted = input.trust.kind === "hops" ? hop < input.trust.hops : isTrusted(input.trust, client);
    if (!trusted) break;
    const next = normalizeAddress(chain[hop]);
    if (next === null) break;
    client = next;
  }
  return client;
}

/** Whether the socket's peer is a proxy whose X-Forwarded-Host/-Proto may be believed. */
export function peerIsTrustedProxy(remoteAddress: string | null | undefined, trust: TrustProxy): boolean {
  if (trust.kind === "hops") return trust.hops > 0;
  const socket = normalizeAddress(remoteAddress);
  return socket !== null && isTrusted(trust, socket);
}

type HeaderBag = Record<string, string | string[] | undefined>;

/** Headers with which a client could claim another address or origin. */
const FORWARDING_HEADERS = ["x-forwarded-for", "x-real-ip", "forwarded", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"];

/**
 * Rewrites an incoming request's headers (Node's `req.headers`) for code that cannot see the
 * socket (Next's route handlers): X-Forwarded-For becomes exactly the computed client address,
 * X-Real-IP and Forwarded go, and X-Forwarded-Host/-Proto/-Port stay only when the peer is a
 * trusted proxy. Returns the client address.
 */
export function applyTrustedForwarding(headers: HeaderBag, remoteAddress: string | null | undefined, trust: TrustProxy): string | null {
  const client = clientAddress({ remoteAddress, forwardedFor: headers["x-forwarded-for"], trust });
  const keepHostAndProto = peerIsTrustedProxy(remoteAddress, trust);
  for (const name of FORWARDING_HEADERS) {
    if (keepHostAndProto && (name === "x-forwarded-host" || name === "x-forwarded-proto" || name === "x-forwarded-port")) continue;
    delete headers[name];
  }
  if (client) headers["x-forwarded-for"] = client;
  return client;
}
