import { authedProcedure, publicProcedure } from "../../procedures.js";
import {
  ZChangePasswordInput,
  ZRequestPasswordResetInput,
  ZResetPasswordInput,
  ZSignUpInput,
  ZVerifyEmailInput,
} from "../../schemas/account.js";
import * as accounts from "../../services/accounts/accounts.js";
import { router } from "../../trpc.js";

/** Sign-in itself is next-auth's (console); these are the rest of the account's life. */
export const accountRouter = router({
  signUp: publicProcedure.input(ZSignUpInput).mutation(({ ctx, input }) => accounts.signUp(ctx, input)),
  requestPasswordReset: publicProcedure
    .input(ZRequestPasswordResetInput)
    .mutation(({ ctx, input }) => accounts.requestPasswordReset(ctx, input)),
  resetPassword: publicProcedure.input(ZResetPasswordInput).mutation(({ ctx, input }) => accounts.resetPassword(ctx, input)),
  verifyEmail: publicProcedure.input(ZVerifyEmailInput).mutation(({ ctx, input }) => accounts.verifyEmail(ctx, input)),
  requestEmailVerification: authedProcedure.mutation(({ ctx }) => accounts.requestEmailVerification(ctx, ctx.user.userId)),
  changePassword: authedProcedure
    .input(ZChangePasswordInput)
    .mutation(({ ctx, input }) => accounts.changePassword(ctx, ctx.user.userId, input)),
  signOutEverywhere: authedProcedure.mutation(({ ctx }) => accounts.signOutEverywhere(ctx, ctx.user.userId)),
});
