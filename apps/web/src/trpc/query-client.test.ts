import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { shouldRetry } from "./query-client";

const refusal = (httpStatus: number) => new TRPCClientError("refused", { result: { error: { data: { httpStatus } } } as never });

describe("query retries", () => {
  it("never retries a refusal (4xx)", () => {
    expect(refusal(404).data).toEqual({ httpStatus: 404 });
    for (const status of [400, 401, 403, 404, 409, 429]) expect(shouldRetry(0, refusal(status))).toBe(false);
  });

  it("retries server errors and network failures up to three times", () => {
    expect(shouldRetry(0, refusal(500))).toBe(true);
    expect(shouldRetry(2, new TypeError("fetch failed"))).toBe(true);
    expect(shouldRetry(3, new TypeError("fetch failed"))).toBe(false);
  });
});
