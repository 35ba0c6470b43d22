import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import type { Context } from "./context.js";
import { fieldErrorsOf, type PublicErrorShape } from "./errors.js";

/**
 * Every procedure declares who may call it; the authorization work extends this with
 * `{ permission }` for org-scoped procedures.
 */
export interface ProcedureMeta {
  access: "public" | "authenticated";
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // superjson carries Date and bigint (money is integer micro-units, never a float).
    transformer: superjson,
    errorFormatter({ shape, error, ctx, path }): PublicErrorShape {
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      return {
        message: internal ? `Something went wrong on our side. Request id: ${ctx?.requestId ?? "unknown"}` : shape.message,
        code: shape.code,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path,
          requestId: ctx?.requestId,
          fieldErrors: fieldErrorsOf(error),
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** No identity required. Guarantees only `ctx.db` and `ctx.requestId`. */
export const publicProcedure = t.procedure.meta({ access: "public" });
