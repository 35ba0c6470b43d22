import type { TRPCError } from "@trpc/server";

/** What a client may learn about a failure. Never a stack trace; internal messages masked. */
export interface PublicErrorShape {
  message: string;
  code: number;
  data: {
    code: string;
    httpStatus: number;
    path?: string;
    requestId?: string;
    /** Field-by-field validation problems, keyed by dotted path ("" for the input as a whole). */
    fieldErrors?: Record<string, string[]>;
  };
}

export function fieldErrorsOf(error: TRPCError): Record<string, string[]> | undefined {
  const cause = error.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined;
  if (error.code !== "BAD_REQUEST" || !Array.isArray(cause?.issues)) return undefined;
  const fields: Record<string, string[]> = {};
  for (const issue of cause.issues) {
    const key = issue.path.map(String).join(".");
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  return fields;
}
