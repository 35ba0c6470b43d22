import { orgProcedure } from "../../procedures.js";
import {
  ZCreateProviderInput,
  ZDeleteProviderOutput,
  ZListProvidersInput,
  ZListProvidersOutput,
  ZProviderOutput,
  ZProviderRefInput,
  ZTestProviderOutput,
  ZUpdateProviderInput,
} from "../../schemas/provider.js";
import * as providers from "../../services/providers/providers.js";
import { router } from "../../trpc.js";

/**
 * Provider connections (docs/models.md): the OpenAI-compatible upstreams the gateway's /v1
 * model routes forward to. Every member sees which exist (never a credential, only its last
 * four characters); admins and owners change and test them, audited — people only, never a key
 * or a token (a key must not redirect its organization's calls or read where they go with a credential).
 */
export const providerRouter = router({
  list: orgProcedure
    .meta({ permission: "org:read" })
    .input(ZListProvidersInput)
    .output(ZListProvidersOutput)
    .query(({ ctx }) => providers.listProviders(ctx.service)),
  create: orgProcedure
    .meta({ permission: "org:update", apiKeys: false })
    .input(ZCreateProviderInput)
    .output(ZProviderOutput)
    .mutation(({ ctx, input }) => {
      const { orgId: _, ...fields } = input;
      return providers.createProvider(ctx.service, fields);
    }),
  update: orgProcedure
    .meta({ permission: "org:update", apiKeys: false })
    .input(ZUpdateProviderInput)
    .output(ZProviderOutput)
    .mutation(({ ctx, input }) => {
      const { orgId: _, ...fields } = input;
      return providers.updateProvider(ctx.service, fields);
    }),
  delete: orgProcedure
    .meta({ permission: "org:update", apiKeys: false })
    .input(ZProviderRefInput)
    .output(ZDeleteProviderOutput)
    .mutation(({ ctx, input }) => providers.deleteProvider(ctx.service, { connectionId: input.connectionId })),
  testConnection: orgProcedure
    .meta({ permission: "org:update", apiKeys: false })
    .input(ZProviderRefInput)
    .output(ZTestProviderOutput)
    .mutation(({ ctx, input }) => providers.testProvider(ctx.service, { connectionId: input.connectionId })),
});
