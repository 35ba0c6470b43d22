import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import type { Context } from "./context.js";
import { detailsOf, fieldErrorsOf, type PublicErrorShape } from "./errors.js";
import type { OpenApiRoute } from "./openapi/types.js";
import type { Permission } from "./rbac/permissions.js";

/**
 * Every procedure declares who may call it, exactly one way:
 * - `{ access: "public" }` — anyone;
 * - `{ access: "authenticated" }` — a signed-in user (no organization involved); with
 *   `personalTokens: true`, a personal access token of the user too (acts as the person);
 * - `{ access: "member" }` — an organization-scoped call open to every member of the input's
 *   `orgId` (not to API keys), e.g. leaving the organization;
 * - `{ permission }` — an organization-scoped call: a member (or API key) of the input's
 *   `orgId` holding that permission. For team-scoped permissions, leading the team named by
 *   the input's `teamInput` field (default `teamId`), or one of its ancestors, also counts.
 *   `apiKeys: false` refuses organization API keys and personal access tokens alike: for
 *   signed-in people (by session) only.
 */
export type ProcedureMeta =
  | { access: "public"; permission?: never; teamInput?: never; includeDeletedOrg?: never; apiKeys?: never; personalTokens?: never }
  | { access: "authenticated"; permission?: never; teamInput?: never; includeDeletedOrg?: never; apiKeys?: never; personalTokens?: true }
  | { access: "member"; permission?: never; teamInput?: never; includeDeletedOrg?: never; apiKeys?: never; personalTokens?: never }
  | { permission: Permission; teamInput?: string; access?: never; includeDeletedOrg?: boolean; apiKeys?: false; personalTokens?: never };

/**
 * What `.meta()` takes: who may call (above) plus, for procedures mirrored over REST under
 * `/v1`, their `openapi` route (method, path with `{orgId}`, tags; see openapi/).
 */
export type RouterMeta = ProcedureMeta & { openapi?: OpenApiRoute };

const t = initTRPC
  .context<Context>()
  .meta<RouterMeta>()
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
          details: detailsOf(error),
        },
      };
    },
  });

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
export const baseProcedure = t.procedure;
