import { authedProcedure } from "../../procedures.js";
import { ZMeOutput, ZMyPermissionsInput, ZMyPermissionsOutput } from "../../schemas/me.js";
import { getMe, getMyPermissions } from "../../services/me/me.js";
import { router } from "../../trpc.js";

export const meRouter = router({
  get: authedProcedure
    .meta({
      access: "authenticated",
      openapi: { method: "GET", path: "/me", tags: ["Me"], summary: "The calling person and their organizations" },
    })
    .output(ZMeOutput)
    .query(({ ctx }) => getMe(ctx.service)),
  permissions: authedProcedure
    .meta({
      access: "authenticated",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/me/permissions",
        tags: ["Me"],
        summary: "The caller's role, permissions and led teams in an organization",
      },
    })
    .input(ZMyPermissionsInput)
    .output(ZMyPermissionsOutput)
    .query(({ ctx, input }) => getMyPermissions(ctx.service, input)),
});
