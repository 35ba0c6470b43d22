import { type TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { z } from "zod";

const CODES = Object.keys(TRPC_ERROR_CODES_BY_KEY) as [TRPC_ERROR_CODE_KEY, ...TRPC_ERROR_CODE_KEY[]];

/**
 * The body of every REST error, in the gateway's envelope (`{ error: … }`, as its own 404 and 413
 * answers): the typed code (tRPC's vocabulary, e.g. `NOT_FOUND`), a message safe to show
 * (internal errors masked), the request id to quote in a report, and, for bad input, the problems
 * field by field. The HTTP status matches the code.
 */
const ZRestErrorBody = z
  .object({
    code: z.enum(CODES).meta({ description: "Typed error code; the HTTP status follows from it", example: "NOT_FOUND" }),
    message: z.string().meta({ description: "What went wrong, safe to show; never a stack trace" }),
    requestId: z.string().meta({ description: "Quote it when reporting a problem: it finds the server-side record" }),
    fieldErrors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .meta({
        description: 'Bad input, by dotted field path ("" for the input as a whole): the problems, or a reason code clients translate',
        example: { name: ["Required"] },
      }),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({
        description: "Machine-readable facts: `reason` (a reason code), `field`, `retryAfterSeconds`…",
        example: { reason: "LAST_OWNER" },
      }),
  })
  .meta({ description: "What failed" });

export const ZRestError = z.object({ error: ZRestErrorBody }).meta({ id: "Error", description: "An error" });

export type RestError = z.infer<typeof ZRestError>;

/** The error statuses every operation may answer, with what each means here. */
export const ERROR_RESPONSES: Record<string, string> = {
  "400": "Bad input (`BAD_REQUEST`, field by field in `fieldErrors`) or a body that is not JSON",
  "401": "No or invalid credentials (`UNAUTHORIZED`)",
  "403": "The caller may not do this (`FORBIDDEN`)",
  "404": "No such resource, or another organization's (`NOT_FOUND`)",
  "409": "Conflicts with existing state (`CONFLICT`): a taken slug, a duplicate member",
  "412": "An invariant refuses it (`PRECONDITION_FAILED`): the last owner, a revoked key",
  "429": "Rate limit or quota (`TOO_MANY_REQUESTS`); see `Retry-After`",
  "500": "Something went wrong on our side (`INTERNAL_SERVER_ERROR`); the message is masked",
};
