import { z } from "zod";
import { ZEmail, ZName, ZPassword } from "./common.js";

/** The languages of the console and of mail. */
export const ZLocale = z.enum(["en", "zh-CN"]);
/** `locale`: the language the sign-up page was in; the account's mail is written in it. */
export const ZSignUpInput = z.strictObject({ email: ZEmail, password: ZPassword, name: ZName, locale: ZLocale.optional() });
export const ZSetLocaleInput = z.strictObject({ locale: ZLocale });
export const ZSetLocaleOutput = z.object({ locale: ZLocale });
export const ZRequestPasswordResetInput = z.strictObject({ email: ZEmail });
export const ZResetPasswordInput = z.strictObject({ token: z.string().min(20).max(200), password: ZPassword });
export const ZVerifyEmailInput = z.strictObject({ token: z.string().min(20).max(200) });
export const ZChangePasswordInput = z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: ZPassword });

/** Account answers never say whether an email has an account. */
export const ZAccountStatusOutput = z.object({
  status: z.enum(["check_email", "password_changed", "email_verified", "already_verified", "signed_out"]),
});
