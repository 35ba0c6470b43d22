import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DomainError, detailsOf, fieldErrorsOf, toTRPCError } from "./errors.js";

describe("error shaping", () => {
  it("lists zod issues field by field, the input as a whole under the empty key", () => {
    const parsed = z.strictObject({ email: z.email(), age: z.number() }).safeParse({ email: "x", age: "1", extra: true });
    const error = new TRPCError({ code: "BAD_REQUEST", cause: parsed.error });
    expect(Object.keys(fieldErrorsOf(error) ?? {}).sort()).toEqual(["", "age", "email"]);
  });

  it("puts a service's one-field error under that field, and keeps its details", () => {
    const error = toTRPCError(new DomainError("CONFLICT", 'The slug "acme" is taken', { field: "slug" }));
    expect(error.code).toBe("CONFLICT");
    expect(fieldErrorsOf(error)).toEqual({ slug: ['The slug "acme" is taken'] });
    expect(detailsOf(error)).toEqual({ field: "slug" });
  });

  it("turns anything unexpected into an internal error", () => {
    expect(toTRPCError(new Error("socket hang up")).code).toBe("INTERNAL_SERVER_ERROR");
  });
});
