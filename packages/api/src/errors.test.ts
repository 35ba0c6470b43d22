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

  it("puts a service's one-field error under that field as its reason code, and keeps its details", () => {
    const error = toTRPCError(new DomainError("CONFLICT", 'The slug "acme" is taken', { field: "slug", reason: "SLUG_TAKEN" }));
    expect(error.code).toBe("CONFLICT");
    expect(fieldErrorsOf(error)).toEqual({ slug: ["SLUG_TAKEN"] });
    expect(detailsOf(error)).toEqual({ field: "slug", reason: "SLUG_TAKEN" });
  });

  it("gives every one-field refusal of the services a reason a client can translate", async () => {
    const { readFileSync, readdirSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { isErrorReason } = await import("./schemas/error-reasons.js");
    const dir = new URL("./services", import.meta.url).pathname;
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.includes(".test."));
    const refusals = files.flatMap((file) =>
      [...readFileSync(join(dir, file), "utf8").matchAll(/new DomainError\([^;]*?\{([^}]*)\}/gs)].map((m) => ({
        file,
        details: m[1] ?? "",
      })),
    );
    expect(refusals.length).toBeGreaterThan(10);
    for (const { file, details } of refusals.filter((r) => r.details.includes("field:"))) {
      const reason = /reason: "([A-Z_]+)"/.exec(details)?.[1];
      expect(isErrorReason(reason), `${file}: a field error needs a reason, got ${details.trim()}`).toBe(true);
    }
  });

  it("turns anything unexpected into an internal error", () => {
    expect(toTRPCError(new Error("socket hang up")).code).toBe("INTERNAL_SERVER_ERROR");
  });
});
