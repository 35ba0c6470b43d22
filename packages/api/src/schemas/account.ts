import { z } from "zod";
import { ZEmail, ZName, ZPassword } from "./common.js";

export const ZSignUpInput = z.strictObject({ email: ZEmail, password: ZPassword, name: ZName });
export const ZRequestPasswordResetInput = z.strictObject({ email: ZEmail });
export const ZResetPasswordInput = z.strictObject({ token: z.string().min(20).max(200), password: ZPassword });
export const ZVerifyEmailInput = z.strictObject({ token: z.string().min(20).max(200) });
export const ZChangePasswordInput = z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: ZPassword });

/** Account answers never say whether an email has an account. */
export const ZAccountStatusOutput = z.object({
  status: z.enum(["check_email", "password_changed", "email_verified", "already_verified", "signed_out"]),
});
