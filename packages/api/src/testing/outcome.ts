import { TRPCError } from "@trpc/server";
import { DomainError } from "../errors.js";

/**
 * How a call ended, as tests compare it: "ok", the tRPC code ("FORBIDDEN"), or the code and the
 * service's reason ("CONFLICT TEAM_NAME_TAKEN"). Anything but a tRPC error is rethrown.
 */
export async function outcomeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "ok";
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const reason = error.cause instanceof DomainError ? error.cause.details.reason : undefined;
    return reason ? `${error.code} ${reason}` : error.code;
  }
}
