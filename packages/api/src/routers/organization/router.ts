import { authedProcedure, orgProcedure } from "../../procedures.js";
import {
  ZCreateOrganizationInput,
  ZCreateOrganizationOutput,
  ZDeleteOrganizationInput,
  ZDeleteOrganizationOutput,
  ZGetOrganizationInput,
  ZGetOrganizationOutput,
  ZListDeletedOrganizationsOutput,
  ZListMyOrganizationsOutput,
  ZOrganizationOutput,
  ZRestoreOrganizationInput,
  ZTransferOwnershipInput,
  ZTransferOwnershipOutput,
  ZUpdateOrganizationInput,
} from "../../schemas/organization.js";
import * as organizations from "../../services/organizations/organizations.js";
import { router } from "../../trpc.js";

/** Creating an organization and listing one's own act as a person: a personal access token may too. */
export const organizationRouter = router({
  create: authedProcedure
    .meta({
      access: "authenticated",
      personalTokens: true,
      openapi: {
        method: "POST",
        path: "/organizations",
        tags: ["Organizations"],
        summary: "Create an organization (the caller becomes its owner)",
      },
    })
    .input(ZCreateOrganizationInput)
    .output(ZCreateOrganizationOutput)
    .mutation(({ ctx, input }) => organizations.createOrganization(ctx.service, input)),
  listMine: authedProcedure
    .meta({
      access: "authenticated",
      personalTokens: true,
      openapi: { method: "GET", path: "/organizations", tags: ["Organizations"], summary: "The caller's organizations" },
    })
    .output(ZListMyOrganizationsOutput)
    .query(({ ctx }) => organizations.listMyOrganizations(ctx.service)),
  /** Deleted organizations the caller owns and can still restore, with the last day to do so. */
  listDeleted: authedProcedure
    .output(ZListDeletedOrganizationsOutput)
    .query(({ ctx }) => organizations.listDeletedOrganizations(ctx.service)),
  get: orgProcedure
    .meta({
      permission: "org:read",
      openapi: { method: "GET", path: "/organizations/{orgId}", tags: ["Organizations"], summary: "An organization with its counts" },
    })
    .input(ZGetOrganizationInput)
    .output(ZGetOrganizationOutput)
    .query(({ ctx }) => organizations.getOrganization(ctx.service)),
  update: orgProcedure
    .meta({
      permission: "org:update",
      openapi: { method: "PATCH", path: "/organizations/{orgId}", tags: ["Organizations"], summary: "Change an organization's settings" },
    })
    .input(ZUpdateOrganizationInput)
    .output(ZOrganizationOutput)
    .mutation(({ ctx, input: { orgId: _, ...changes } }) => organizations.updateOrganization(ctx.service, changes)),
  delete: orgProcedure
    .meta({ permission: "org:delete", apiKeys: false })
    .input(ZDeleteOrganizationInput)
    .output(ZDeleteOrganizationOutput)
    .mutation(({ ctx, input }) => organizations.deleteOrganization(ctx.service, input)),
  restore: orgProcedure
    .meta({ permission: "org:delete", includeDeletedOrg: true, apiKeys: false })
    .input(ZRestoreOrganizationInput)
    .output(ZOrganizationOutput)
    .mutation(({ ctx }) => organizations.restoreOrganization(ctx.service)),
  transferOwnership: orgProcedure
    .meta({ permission: "org:transfer", apiKeys: false })
    .input(ZTransferOwnershipInput)
    .output(ZTransferOwnershipOutput)
    .mutation(({ ctx, input }) => organizations.transferOwnership(ctx.service, input)),
});
