import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce, securityHeaders } from "./security-headers.js";

describe("security headers", () => {
  it("forbid framing, send no Referer, stop MIME sniffing", () => {
    const headers = securityHeaders({ nonce: "abc", https: false });
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["x-content-type-options"]).toBe("nosniff");
  });

  it("add HSTS only over HTTPS", () => {
    expect(securityHeaders({ nonce: "abc", https: false })["strict-transport-security"]).toBeUndefined();
    expect(securityHeaders({ nonce: "abc", https: true })["strict-transport-security"]).toMatch(/^max-age=\d{7,}/);
  });

  it("allow scripts from the console itself and those carrying this response's nonce, nothing inline or eval'd", () => {
    const policy = contentSecurityPolicy("n0nce+/=");
    const scripts = policy.split("; ").find((directive) => directive.startsWith("script-src"));
    expect(scripts).toBe("script-src 'self' 'nonce-n0nce+/='");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("base-uri 'self'");
  });

  it("make a fresh base64 nonce each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
