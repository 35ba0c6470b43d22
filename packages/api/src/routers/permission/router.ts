import { orgProcedure } from "../../procedures.js";
import { ZExplainAllInput, ZExplainAllOutput, ZExplainInput, ZExplainOutput } from "../../schemas/permission.js";
import { explainAllPermissions } from "../../services/access/explain-all.js";
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
  /**
   * A member's effective permissions, every one allowed or not, with reasons. Any member about
   * themselves (no `userId`); about someone else, member:update_permissions (checked inside).
   */
  explainAll: orgProcedure
    .meta({ access: "member" })
    .input(ZExplainAllInput)
    .output(ZExplainAllOutput)
    .query(({ ctx, input: { orgId: _, ...input } }) => explainAllPermissions(ctx.service, input)),
});
