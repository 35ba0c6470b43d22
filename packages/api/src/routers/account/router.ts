import { authedProcedure, publicProcedure } from "../../procedures.js";
import {
  ZAccountStatusOutput,
  ZChangePasswordInput,
  ZRequestPasswordResetInput,
  ZResetPasswordInput,
  ZSetLocaleInput,
  ZSetLocaleOutput,
  ZSignUpInput,
  ZVerifyEmailInput,
} from "../../schemas/account.js";
import * as accounts from "../../services/accounts/accounts.js";
import { router } from "../../trpc.js";

/** Sign-in itself is next-auth's (console); these are the rest of the account's life. */
export const accountRouter = router({
  signUp: publicProcedure
    .input(ZSignUpInput)
    .output(ZAccountStatusOutput)
    .mutation(({ ctx, input }) => accounts.signUp(ctx, input)),
  requestPasswordReset: publicProcedure
    .input(ZRequestPasswordResetInput)
    .output(ZAccountStatusOutput)
    .mutation(({ ctx, input }) => accounts.requestPasswordReset(ctx, input)),
  resetPassword: publicProcedure
    .input(ZResetPasswordInput)
    .output(ZAccountStatusOutput)
    .mutation(({ ctx, input }) => accounts.resetPassword(ctx, input)),
  verifyEmail: publicProcedure
    .input(ZVerifyEmailInput)
    .output(ZAccountStatusOutput)
    .mutation(({ ctx, input }) => accounts.verifyEmail(ctx, input)),
  requestEmailVerification: authedProcedure
    .output(ZAccountStatusOutput)
    .mutation(({ ctx }) => accounts.requestEmailVerification(ctx.service)),
  changePassword: authedProcedure
    .input(ZChangePasswordInput)
    .output(ZAccountStatusOutput)
    .mutation(({ ctx, input }) => accounts.changePassword(ctx.service, input)),
  signOutEverywhere: authedProcedure.output(ZAccountStatusOutput).mutation(({ ctx }) => accounts.signOutEverywhere(ctx.service)),
  /** The language of the person's mail; the console sets it when they switch language. */
  setLocale: authedProcedure
    .input(ZSetLocaleInput)
    .output(ZSetLocaleOutput)
    .mutation(({ ctx, input }) => accounts.setLocale(ctx.service, input)),
});
