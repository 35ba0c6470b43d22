import { authedProcedure } from "../../procedures.js";
import { ZMeOutput, ZMyPermissionsInput, ZMyPermissionsOutput } from "../../schemas/me.js";
import { getMe, getMyPermissions } from "../../services/me/me.js";
import { router } from "../../trpc.js";

export const meRouter = router({
  get: authedProcedure.output(ZMeOutput).query(({ ctx }) => getMe(ctx.service)),
  permissions: authedProcedure
    .input(ZMyPermissionsInput)
    .output(ZMyPermissionsOutput)
    .query(({ ctx, input }) => getMyPermissions(ctx.service, input)),
});
