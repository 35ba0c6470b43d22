import { authedProcedure, orgProcedure } from "../../procedures.js";
import {
  ZCreateOrganizationInput,
  ZDeleteOrganizationInput,
  ZGetOrganizationInput,
  ZRestoreOrganizationInput,
  ZTransferOwnershipInput,
  ZUpdateOrganizationInput,
} from "../../schemas/organization.js";
import * as organizations from "../../services/organizations/organizations.js";
import { orgServiceContext, requestMeta } from "../../services/service-context.js";
import { router } from "../../trpc.js";

export const organizationRouter = router({
  create: authedProcedure
    .input(ZCreateOrganizationInput)
    .mutation(({ ctx, input }) => organizations.createOrganization(ctx, ctx.user.userId, input, requestMeta(ctx))),
  listMine: authedProcedure.query(({ ctx }) => organizations.listMyOrganizations(ctx.db, ctx.user.userId)),
  get: orgProcedure
    .meta({ permission: "org:read" })
    .input(ZGetOrganizationInput)
    .query(({ ctx }) => organizations.getOrganization(orgServiceContext(ctx))),
  update: orgProcedure
    .meta({ permission: "org:update" })
    .input(ZUpdateOrganizationInput)
    .mutation(({ ctx, input: { orgId: _, ...changes } }) => organizations.updateOrganization(orgServiceContext(ctx), changes)),
  delete: orgProcedure
    .meta({ permission: "org:delete", apiKeys: false })
    .input(ZDeleteOrganizationInput)
    .mutation(({ ctx, input }) => organizations.deleteOrganization(orgServiceContext(ctx), input)),
  restore: orgProcedure
    .meta({ permission: "org:delete", includeDeletedOrg: true, apiKeys: false })
    .input(ZRestoreOrganizationInput)
    .mutation(({ ctx }) => organizations.restoreOrganization(orgServiceContext(ctx))),
  transferOwnership: orgProcedure
    .meta({ permission: "org:transfer", apiKeys: false })
    .input(ZTransferOwnershipInput)
    .mutation(({ ctx, input }) => organizations.transferOwnership(orgServiceContext(ctx), input)),
});
