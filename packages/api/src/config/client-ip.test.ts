import { describe, expect, it } from "vitest";
import { applyTrustedForwarding, clientAddress, normalizeAddress, parseTrustProxy, peerIsTrustedProxy, TRUST_NONE } from "./client-ip.js";

const ip = (remoteAddress: string, forwardedFor: string | string[] | undefined, trustProxy?: string) =>
  clientAddress({ remoteAddress, forwardedFor, trust: parseTrustProxy(trustProxy) });

describe("parseTrustProxy", () => {
  it("trusts nothing when unset, empty, 0 or false", () => {
    for (const value of [undefined, "", " ", "0", "false"]) expect(parseTrustProxy(value)).toEqual(TRUST_NONE);
  });

  it("reads a hop count", () => {
    expect(parseTrustProxy("2")).toEqual({ kind: "hops", hops: 2 });
  });

  it("reads addresses and CIDR ranges, IPv4 and IPv6", () => {
    const trust = parseTrustProxy("10.0.0.0/8, 192.168.1.7 ,fd00::/8, ::1");
    expect(trust.kind).toBe("ranges");
    for (const proxy of ["10.1.2.3", "192.168.1.7", "fd12::5", "::1", "::ffff:10.9.9.9"])
      expect(peerIsTrustedProxy(proxy, trust)).toBe(true);
    for (const stranger of ["11.0.0.1", "192.168.1.8", "fe80::1", "::2", "127.0.0.1"])
      expect(peerIsTrustedProxy(stranger, trust)).toBe(false);
  });

  it("refuses anything unclear, naming the variable", () => {
    for (const value of ["true", "yes", "10.0.0.0/33", "::1/129", "300.1.1.1", "10.0.0.0/8,,::1", "localhost", "99"]) {
      expect(() => parseTrustProxy(value), value).toThrow(/TRUST_PROXY/);
    }
  });
});

describe("normalizeAddress", () => {
  it("reduces socket and header spellings to a plain address", () => {
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("0:0:0:0:0:ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(normalizeAddress(" 203.0.113.9:5678 ")).toBe("203.0.113.9");
    expect(normalizeAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeAddress("2001:db8::1")).toBe("2001:db8::1");
  });

  it("is null for anything that is not an IP address", () => {
    for (const value of [undefined, null, "", "unknown", "example.com", "1.2.3", "1.2.3.4.5", "<script>", "x".repeat(500)]) {
      expect(normalizeAddress(value)).toBeNull();
    }
  });
});

describe("clientAddress", () => {
  it("by default is the socket's peer, whatever X-Forwarded-For claims", () => {
    expect(ip("198.51.100.4", "6.6.6.6")).toBe("198.51.100.4");
    expect(ip("::ffff:127.0.0.1", "6.6.6.6, 7.7.7.7")).toBe("127.0.0.1");
    expect(ip("2001:db8::7", undefined)).toBe("2001:db8::7");
  });

  it("with one trusted hop, takes the address that proxy appended, not what the client prepended", () => {
    expect(ip("10.0.0.2", "203.0.113.7", "1")).toBe("203.0.113.7");
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the address it saw.
    expect(ip("10.0.0.2", "6.6.6.6, 203.0.113.7", "1")).toBe("203.0.113.7");
    expect(ip("10.0.0.2", ["6.6.6.6", "203.0.113.7"], "1")).toBe("203.0.113.7");
  });

  it("with two hops, walks two entries back and no further", () => {
    expect(ip("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.9", "2")).toBe("203.0.113.7");
    // Fewer entries than hops (a request that skipped the outer proxy): the farthest one given.
    expect(ip("10.0.0.2", "203.0.113.7", "2")).toBe("203.0.113.7");
    expect(ip("10.0.0.2", undefined, "2")).toBe("10.0.0.2");
  });

  it("with CIDRs, believes a hop only when it comes from a trusted proxy", () => {
    const trusted = "10.0.0.0/8, fd00::/8";
    expect(ip("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.9", trusted)).toBe("203.0.113.7");
    // A direct connection from outside: the header is the client's own claim.
    expect(ip("203.0.113.50", "10.0.0.9, 1.1.1.1", trusted)).toBe("203.0.113.50");
    // A spoofed chain made of trusted-looking addresses stops at the first untrusted hop.
    expect(ip("10.0.0.2", "10.0.0.3, 198.51.100.1, 10.0.0.5", trusted)).toBe("198.51.100.1");
    // IPv6 proxies and clients.
    expect(ip("fd00::1", "2001:db8::42", trusted)).toBe("2001:db8::42");
    expect(ip("::ffff:10.0.0.2", "::ffff:203.0.113.8", trusted)).toBe("203.0.113.8");
    // Every hop trusted: the leftmost entry is the client.
    expect(ip("10.0.0.2", "10.0.0.3, 10.0.0.4", trusted)).toBe("10.0.0.3");
  });

  it("stops at a malformed entry, keeping the last address a trusted hop vouched for", () => {
    expect(ip("10.0.0.2", "203.0.113.7, garbage", "1")).toBe("10.0.0.2");
    expect(ip("10.0.0.2", "garbage, 203.0.113.7", "2")).toBe("203.0.113.7");
    expect(ip("10.0.0.2", "<script>, 10.0.0.9", "10.0.0.0/8")).toBe("10.0.0.9");
  });

  it("is null when the socket has no address", () => {
    expect(clientAddress({ remoteAddress: undefined, forwardedFor: "6.6.6.6", trust: parseTrustProxy("1") })).toBeNull();
  });
});

describe("applyTrustedForwarding", () => {
  const spoofed = () => ({
    host: "console.example.com",
    "x-forwarded-for": "6.6.6.6",
    "x-real-ip": "6.6.6.6",
    forwarded: "for=6.6.6.6;host=evil.example;proto=https",
    "x-forwarded-host": "evil.example",
    "x-forwarded-proto": "https",
    "x-forwarded-port": "443",
  });

  it("with no trusted proxy, leaves only the socket's address and drops every forwarding claim", () => {
    const headers: Record<string, string | string[] | undefined> = spoofed();
    expect(applyTrustedForwarding(headers, "::ffff:198.51.100.4", TRUST_NONE)).toBe("198.51.100.4");
    expect(headers).toEqual({ host: "console.example.com", "x-forwarded-for": "198.51.100.4" });
  });

  it("behind a trusted proxy, keeps its host and protocol and rewrites X-Forwarded-For to the client", () => {
    const headers: Record<string, string | string[] | undefined> = { ...spoofed(), "x-forwarded-for": "6.6.6.6, 203.0.113.7" };
    expect(applyTrustedForwarding(headers, "10.0.0.2", parseTrustProxy("10.0.0.0/8"))).toBe("203.0.113.7");
    expect(headers).toEqual({
      host: "console.example.com",
      "x-forwarded-for": "203.0.113.7",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      "x-forwarded-port": "443",
    });
  });

  it("from a peer outside the trusted ranges, treats it as a client", () => {
    const headers: Record<string, string | string[] | undefined> = spoofed();
    expect(applyTrustedForwarding(headers, "203.0.113.50", parseTrustProxy("10.0.0.0/8"))).toBe("203.0.113.50");
    expect(headers["x-forwarded-host"]).toBeUndefined();
    expect(headers["x-forwarded-proto"]).toBeUndefined();
  });
});
