import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { DomainError } from "../../errors.js";

/**
 * A provider's base URL must reach the public internet: the gateway sends requests there with
 * the organization's credential, so an address inside our network (loopback, private ranges,
 * link-local such as cloud metadata at 169.254.169.254, unique-local IPv6, unspecified) would
 * let a tenant make our servers call internal services. Every address the host resolves to is
 * checked. PROVIDER_ALLOW_PRIVATE=1 lifts the rule (tests, and on-premises providers on a
 * private network — set it only where that is intended).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  blocked.addSubnet(net, prefix, "ipv6");

/** True for an address inside a private, loopback, link-local or otherwise non-public range. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    if (mapped) return blocked.check(mapped, "ipv4");
    return blocked.check(address, "ipv6");
  }
  return true;
}

export const privateAddressesAllowed = () => process.env.PROVIDER_ALLOW_PRIVATE === "1";

type Resolve = (host: string) => Promise<string[]>;
const resolveAll: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Refuses a base URL whose host is (or resolves to) a non-public address, unless allowed. */
export async function assertPublicBaseUrl(baseUrl: string, resolve: Resolve = resolveAll): Promise<void> {
  if (privateAddressesAllowed()) return;
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    throw new DomainError("BAD_REQUEST", `The host ${host} cannot be resolved`, { field: "baseUrl", reason: "HOST_NOT_FOUND" });
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    throw new DomainError("BAD_REQUEST", "The base URL points at a private, loopback or link-local address", {
      field: "baseUrl",
      reason: "PRIVATE_ADDRESS",
    });
  }
}
