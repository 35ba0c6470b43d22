import { type Context, createInnerContext, DomainError, type Store, type VerifyResult, verifyBearerToken } from "@aihub/api";
import { clientAddress, type TrustProxy } from "@aihub/api/config";
import type { Database } from "@aihub/db";
import { TRPCError } from "@trpc/server";
import { countVerification, type GatewayMetrics } from "./observability/metrics.js";
import type { RequestTiming } from "./observability/server-timing.js";

export interface AuthDeps {
  db: Database;
  store: Store;
  trustProxy: TrustProxy;
  metrics: GatewayMetrics;
}

/** What the gateway knows of one request before it reaches a procedure. */
export interface RequestFacts {
  authorization: string | undefined;
  requestId: string;
  remoteAddress: string | undefined;
  forwardedFor: string | undefined;
  userAgent: string | undefined;
  /** `Idempotency-Key`: a retried mutation answers the first result (middleware/idempotency.ts in the API). */
  idempotencyKey: string | undefined;
  timing: RequestTiming;
}

/**
 * A presented bearer credential — an organization API key (`aih_…`) or a personal access token
 * (`aihp_…`) — verified (cached), counted in the metrics and timed into Server-Timing. Only the
 * status leaves this function's callers: never the credential.
 */
export async function verifyBearer(deps: AuthDeps, authorization: string | undefined, timing: RequestTiming): Promise<VerifyResult | null> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (!bearer) return null;
  const result = await verifyBearerToken(
    {
      db: deps.db,
      store: deps.store,
      observe: {
        row: (source, ms) => {
          deps.metrics.keyRowSource.inc({ source });
          timing.add("auth", ms);
        },
        limits: (ms) => timing.add("ratelimit", ms),
      },
    },
    bearer,
  );
  countVerification(deps.metrics, result.status);
  return result;
}

/** What a key over one of its limits is told (429; the caller sets Retry-After). */
const LIMIT_REFUSALS = {
  rate_limited: { reason: "RATE_LIMITED", message: "This API key's rate limit is exhausted. Retry after the time given." },
  quota_exceeded: {
    reason: "QUOTA_EXCEEDED",
    message: "This API key's monthly quota is used up. Retry after the time given (the next month, in the organization's time zone).",
  },
} as const;

/** The public error for a key over its rate limit or monthly quota, else null. */
export function tooManyRequests(result: VerifyResult): TRPCError | null {
  if (result.status !== "rate_limited" && result.status !== "quota_exceeded") return null;
  const { reason, message } = LIMIT_REFUSALS[result.status];
  return new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message,
    cause: new DomainError("TOO_MANY_REQUESTS", message, { reason, retryAfterSeconds: result.retryAfterSeconds }),
  });
}

/**
 * The procedures' context for one request. Callers are services with an organization API key
 * (`Authorization: Bearer aih_…`) or people's tools with a personal access token (`aihp_…`). A key over its rate limit or monthly quota throws 429 (with
 * `retry-after` written to `resHeaders`). A missing key, or one that is unknown, revoked, expired
 * or of a deleted organization, leaves no identity: procedures needing one answer UNAUTHORIZED
 * with one generic message (never the key, never which of these).
 */
export async function contextForRequest(deps: AuthDeps, facts: RequestFacts, resHeaders: Headers): Promise<Context> {
  const verified = await verifyBearer(deps, facts.authorization, facts.timing);
  const refusal = verified && tooManyRequests(verified);
  if (refusal) {
    resHeaders.set("retry-after", String(verified.retryAfterSeconds ?? 1));
    throw refusal;
  }
  return createInnerContext({
    db: deps.db,
    store: deps.store,
    identity: verified?.identity ?? null,
    requestId: facts.requestId,
    ip: clientAddress({ remoteAddress: facts.remoteAddress, forwardedFor: facts.forwardedFor, trust: deps.trustProxy }),
    userAgent: facts.userAgent ?? null,
    idempotencyKey: facts.idempotencyKey ?? null,
  });
}
