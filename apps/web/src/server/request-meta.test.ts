import { describe, expect, it } from "vitest";
import { clientIp, userAgent } from "./request-meta";

describe("clientIp", () => {
  it("reads the address the launcher put in x-forwarded-for", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.7" }))).toBe("203.0.113.7");
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" }))).toBe("203.0.113.7");
  });

  it("reads plain header records as next-auth passes them", () => {
    expect(clientIp({ "x-forwarded-for": "::1" })).toBe("::1");
  });

  it("never believes x-real-ip (the launcher drops it; only x-forwarded-for is rewritten)", () => {
    expect(clientIp(new Headers({ "x-real-ip": "198.51.100.2" }))).toBeNull();
    expect(clientIp({ "x-real-ip": " 198.51.100.2 " })).toBeNull();
    expect(clientIp(new Headers({ "x-forwarded-for": " , " }))).toBeNull();
    expect(clientIp(new Headers())).toBeNull();
  });

  it("bounds what it returns", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "x".repeat(500) }))).toHaveLength(64);
  });
});

describe("userAgent", () => {
  it("is cut to 512 characters, or null when absent", () => {
    expect(userAgent(new Headers({ "user-agent": "a".repeat(600) }))).toHaveLength(512);
    expect(userAgent(new Headers())).toBeNull();
  });
});
