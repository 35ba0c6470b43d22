import { type TRPC_ERROR_CODE_KEY, type TRPC_ERROR_CODE_NUMBER, TRPCError } from "@trpc/server";
import type { ErrorReason } from "./schemas/error-reasons.js";

/**
 * What services throw: a code from the API's vocabulary and a message safe to show. One
 * mapping (below) turns it into the tRPC error; services never import tRPC's error types.
 */
export type DomainErrorCode =
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "BAD_REQUEST"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYMENT_REQUIRED"
  | "TOO_MANY_REQUESTS";

export interface DomainErrorDetails {
  reason?: ErrorReason;
  field?: string;
  [fact: string]: unknown;
}

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /**
     * Machine-readable detail for clients: the `reason` (one of ERROR_REASONS, which clients
     * translate), the input `field` it concerns, and facts such as `retryAfterSeconds`.
     */
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);

export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  if (error instanceof DomainError) return new TRPCError({ code: error.code, message: error.message, cause: error });
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Internal error", cause: error });
}

/** What a client may learn about a failure. Never a stack trace; internal messages masked. */
export interface PublicErrorShape {
  message: string;
  code: TRPC_ERROR_CODE_NUMBER;
  data: {
    code: TRPC_ERROR_CODE_KEY;
    httpStatus: number;
    path?: string;
    requestId?: string;
    /** Field-by-field validation problems, keyed by dotted path ("" for the input as a whole). */
    fieldErrors?: Record<string, string[]>;
    /** From a DomainError: e.g. the invariant that refused the call, or when to retry. */
    details?: Record<string, unknown>;
  };
}

export function fieldErrorsOf(error: TRPCError): Record<string, string[]> | undefined {
  // A service's error about one field (a taken slug, an already-invited email) belongs under it.
  // Under the field goes the reason code, which clients translate, not our English text.
  if (error.cause instanceof DomainError && typeof error.cause.details.field === "string") {
    return { [error.cause.details.field]: [error.cause.details.reason ?? error.cause.message] };
  }
  const cause = error.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined;
  if (error.code !== "BAD_REQUEST" || !Array.isArray(cause?.issues)) return undefined;
  const fields: Record<string, string[]> = {};
  for (const issue of cause.issues) {
    const key = issue.path.map(String).join(".");
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  return fields;
}

export function detailsOf(error: TRPCError): Record<string, unknown> | undefined {
  return error.cause instanceof DomainError && Object.keys(error.cause.details).length > 0 ? error.cause.details : undefined;
}
