import { TRPCError } from "@trpc/server";
import { middleware } from "../trpc.js";

function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (depth > 20 || value === null || typeof value !== "object") return false;
  return Object.entries(value).some(([key, v]) => key.includes("\u0000") || containsNul(v, depth + 1));
}

/**
 * Guarantees: no string in the input contains a NUL character. PostgreSQL cannot store one in
 * text, so it would otherwise surface as an internal error instead of a clear BAD_REQUEST.
 */
export const rejectNulCharacters = middleware(async ({ getRawInput, next }) => {
  if (containsNul(await getRawInput())) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Text may not contain NUL (\\u0000) characters" });
  }
  return next();
});
