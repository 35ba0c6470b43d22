import { orgProcedure } from "../../procedures.js";
import { ZExplainInput, ZExplainOutput } from "../../schemas/permission.js";
import { explainPermission } from "../../services/access/explain-permission.js";
import { router } from "../../trpc.js";

export const permissionRouter = router({
  /** Why a member or key can or cannot do something: role, team-lead inheritance, grant, deny, scope. */
  explain: orgProcedure
    .meta({
      permission: "member:update_permissions",
      openapi: {
        method: "POST",
        path: "/organizations/{orgId}/permissions/explain",
        tags: ["Permissions"],
        summary: "Whether a member or key holds a permission, and why",
      },
    })
    .input(ZExplainInput)
    .output(ZExplainOutput)
    .query(({ ctx, input: { orgId: _, ...input } }) => explainPermission(ctx.service, input)),
});
