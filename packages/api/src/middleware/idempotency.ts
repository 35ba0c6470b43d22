import { createHash } from "node:crypto";
import { TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { Identity } from "../context.js";
import { DomainError } from "../errors.js";
import { canonicalJson } from "../services/audit/canonical-json.js";
import { middleware } from "../trpc.js";

/**
 * Idempotent retries of mutations: a caller that sends `Idempotency-Key` and retries (a timeout,
 * a dropped connection) gets the first call's result instead of a second write.
 *
 * - The key is the caller's own (scoped by API key, personal token or user): another caller's
 *   same key is a different slot.
 * - First call: claims the slot atomically (set-if-absent) as pending with the request's
 *   fingerprint (procedure path + canonical input), runs, and on success stores the result for
 *   24 hours. A failure releases the slot (nothing was written: the transaction rolled back),
 *   so the retry runs again.
 * - Same key, same request, finished → the stored result, without running. Still running →
 *   CONFLICT (IDEMPOTENCY_IN_PROGRESS, retry after 1 s). Another request → CONFLICT
 *   (IDEMPOTENCY_KEY_REUSED).
 * - The store (Redis) down: the call runs without deduplication (a retry during an outage may
 *   write twice; usage records carry their own idempotency in PostgreSQL).
 *
 * It runs after authentication and the permission check, so a replay never outlives access.
 */
export const IDEMPOTENCY_RESULT_TTL_SECONDS = 86_400;
/** How long a claim of a call that never finished (its process died) blocks retries. */
export const IDEMPOTENCY_PENDING_TTL_SECONDS = 60;
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

type Slot = { state: "pending"; fingerprint: string } | { state: "done"; fingerprint: string; result: string };

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function callerOf(identity: Identity): string {
  switch (identity.kind) {
    case "user":
      return `user:${identity.userId}`;
    case "api_key":
      return `key:${identity.apiKeyId}`;
    case "personal_token":
      return `pat:${identity.tokenId}`;
  }
}

// One hash tag per caller: a caller's slots share a Redis Cluster slot. Neither the caller's
// id nor the key is stored in clear.
const slotKey = (identity: Identity, idempotencyKey: string) =>
  `{idem:${sha256(callerOf(identity)).slice(0, 32)}}:${sha256(idempotencyKey).slice(0, 40)}`;

export const idempotency = middleware(async ({ ctx, type, path, getRawInput, next }) => {
  if (type !== "mutation" || ctx.idempotencyKey === null || ctx.identity === null) return next();
  if (!KEY_FORMAT.test(ctx.idempotencyKey)) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Idempotency-Key must be 1 to 255 visible ASCII characters" });
  }
  const key = slotKey(ctx.identity, ctx.idempotencyKey);
  const fingerprint = sha256(`${path}\n${canonicalJson(await getRawInput())}`);
  const pending: Slot = { state: "pending", fingerprint };

  let claimed: boolean;
  try {
    // Set-if-absent: the guard is the slot itself, required to be absent.
    claimed = await ctx.store.setIfUnchanged(key, JSON.stringify(pending), IDEMPOTENCY_PENDING_TTL_SECONDS, key, null);
  } catch {
    return next();
  }
  if (!claimed) {
    const raw = await ctx.store.get(key).catch(() => null);
    const slot = raw === null ? null : (JSON.parse(raw) as Slot);
    if (slot && slot.fingerprint !== fingerprint) {
      throw new DomainError("CONFLICT", "This Idempotency-Key was already used for a different request", {
        reason: "IDEMPOTENCY_KEY_REUSED",
      });
    }
    if (slot?.state === "done") {
      // The first call's answer. (A middleware result needs only `ok` and `data` at run time.)
      return { ok: true, data: superjson.parse(slot.result), marker: undefined } as unknown as Awaited<ReturnType<typeof next>>;
    }
    // Running now (or its claim just lapsed): the caller retries shortly.
    throw new DomainError("CONFLICT", "A request with this Idempotency-Key is still in progress", {
      reason: "IDEMPOTENCY_IN_PROGRESS",
      retryAfterSeconds: 1,
    });
  }

  const result = await next();
  try {
    if (result.ok) {
      const done: Slot = { state: "done", fingerprint, result: superjson.stringify(result.data) };
      await ctx.store.set(key, JSON.stringify(done), IDEMPOTENCY_RESULT_TTL_SECONDS);
    } else {
      await ctx.store.del(key);
    }
  } catch {
    // The store went away mid-call: the claim lapses by itself.
  }
  return result;
});
