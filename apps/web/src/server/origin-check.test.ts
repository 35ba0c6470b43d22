import { describe, expect, it } from "vitest";
import { isSameOriginRequest, refuseCrossOrigin } from "./origin-check";

const post = (headers: Record<string, string>) => ({ method: "POST", headers: new Headers(headers) });

describe("isSameOriginRequest", () => {
  it("lets reads through whatever their origin", () => {
    expect(
      isSameOriginRequest({ method: "GET", headers: new Headers({ origin: "https://evil.example", host: "console.example" }) }, {}),
    ).toBe(true);
  });

  it("accepts a POST from the origin it was addressed to", () => {
    expect(isSameOriginRequest(post({ origin: "http://127.0.0.1:3100", host: "127.0.0.1:3100" }), {})).toBe(true);
    expect(isSameOriginRequest(post({ origin: "https://console.example", host: "Console.Example:443" }), {})).toBe(true);
  });

  it("refuses another port, another host and the opaque origin", () => {
    expect(isSameOriginRequest(post({ origin: "http://127.0.0.1:4567", host: "127.0.0.1:3100" }), {})).toBe(false);
    expect(isSameOriginRequest(post({ origin: "http://evil.example", host: "console.example" }), {})).toBe(false);
    expect(isSameOriginRequest(post({ origin: "https://app.console.example", host: "console.example" }), {})).toBe(false);
    expect(isSameOriginRequest(post({ origin: "null", host: "console.example" }), {})).toBe(false);
  });

  it("accepts the configured public origins (behind a proxy the Host may be internal)", () => {
    const env = { NEXTAUTH_URL: "https://console.example.com/", APP_URL: "https://hub.example.com/app" };
    expect(isSameOriginRequest(post({ origin: "https://console.example.com", host: "10.0.0.5:3000" }), env)).toBe(true);
    expect(isSameOriginRequest(post({ origin: "https://hub.example.com", host: "10.0.0.5:3000" }), env)).toBe(true);
    expect(isSameOriginRequest(post({ origin: "http://console.example.com", host: "10.0.0.5:3000" }), env)).toBe(false);
  });

  it("uses X-Forwarded-Host when present (the launcher keeps it only from a trusted proxy)", () => {
    const headers = { origin: "https://console.example.com", host: "10.0.0.5:3000", "x-forwarded-host": "console.example.com" };
    expect(isSameOriginRequest(post(headers), {})).toBe(true);
  });

  it("without Origin: a non-browser caller passes, a browser's cross-site fetch metadata does not", () => {
    expect(isSameOriginRequest(post({ host: "console.example" }), {})).toBe(true);
    expect(isSameOriginRequest(post({ host: "console.example", "sec-fetch-site": "same-origin" }), {})).toBe(true);
    expect(isSameOriginRequest(post({ host: "console.example", "sec-fetch-site": "same-site" }), {})).toBe(false);
    expect(isSameOriginRequest(post({ host: "console.example", "sec-fetch-site": "cross-site" }), {})).toBe(false);
  });
});

describe("refuseCrossOrigin", () => {
  it("answers 403 with tRPC's typed error shape", async () => {
    const response = refuseCrossOrigin(post({ origin: "http://127.0.0.1:4567", host: "127.0.0.1:3100" }), "req-1");
    expect(response?.status).toBe(403);
    expect(response?.headers.get("x-request-id")).toBe("req-1");
    expect(await response?.json()).toEqual({
      error: {
        json: {
          message: expect.any(String),
          code: -32003,
          data: { code: "FORBIDDEN", httpStatus: 403, requestId: "req-1", details: { reason: "CROSS_ORIGIN" } },
        },
      },
    });
    expect(refuseCrossOrigin(post({ origin: "http://127.0.0.1:3100", host: "127.0.0.1:3100" }), "req-2")).toBeNull();
  });
});
