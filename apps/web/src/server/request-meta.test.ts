import { describe, expect, it } from "vitest";
import { clientIp, userAgent } from "./request-meta";

describe("clientIp", () => {
  it("takes the last x-forwarded-for entry (the nearest proxy's view)", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" }))).toBe("203.0.113.7");
  });

  it("reads plain header records as next-auth passes them", () => {
    expect(clientIp({ "x-forwarded-for": "::1" })).toBe("::1");
    expect(clientIp({ "x-real-ip": " 198.51.100.2 " })).toBe("198.51.100.2");
  });

  it("falls back to x-real-ip, then to null", () => {
    expect(clientIp(new Headers({ "x-real-ip": "198.51.100.2" }))).toBe("198.51.100.2");
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
