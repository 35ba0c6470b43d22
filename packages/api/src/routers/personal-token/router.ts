import { authedProcedure } from "../../procedures.js";
import {
  ZCreatePersonalTokenInput,
  ZCreatePersonalTokenOutput,
  ZListPersonalTokensInput,
  ZListPersonalTokensOutput,
  ZPersonalTokenIdInput,
  ZPersonalTokenOutput,
} from "../../schemas/personal-token.js";
import * as personalTokens from "../../services/personal-tokens/personal-tokens.js";
import { router } from "../../trpc.js";

/**
 * The signed-in person's own access tokens (account page). Session only — these procedures do
 * not declare `personalTokens: true` — so a token never mints, lists or revokes tokens.
 */
export const personalTokenRouter = router({
  create: authedProcedure
    .input(ZCreatePersonalTokenInput)
    .output(ZCreatePersonalTokenOutput)
    .mutation(({ ctx, input }) => personalTokens.createPersonalToken(ctx.service, input)),
  list: authedProcedure
    .input(ZListPersonalTokensInput)
    .output(ZListPersonalTokensOutput)
    .query(({ ctx, input }) => personalTokens.listPersonalTokens(ctx.service, input)),
  revoke: authedProcedure
    .input(ZPersonalTokenIdInput)
    .output(ZPersonalTokenOutput)
    .mutation(({ ctx, input }) => personalTokens.revokePersonalToken(ctx.service, input)),
});
