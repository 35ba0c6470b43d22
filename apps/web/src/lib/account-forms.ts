// Browser-safe: the package's main entry pulls in the database; this entry is zod alone.
import { ZChangePasswordInput, ZEmail, ZPassword, ZSignUpInput } from "@aihub/api/schemas";
import type { FieldError } from "react-hook-form";
import { z } from "zod";

// The console's account forms, validated in the browser with the same schemas the API
// parses with (`@aihub/api/schemas`), so what passes here passes there.

export const PASSWORD_LIMITS = { min: ZPassword.minLength ?? 10, max: ZPassword.maxLength ?? 200 };
export const NAME_MAX = ZSignUpInput.shape.name.maxLength ?? 120;

/** Sign-in doesn't apply the password policy: an old password that predates it must still work. */
export const ZSignInForm = z.object({ email: ZEmail, password: z.string().min(1).max(PASSWORD_LIMITS.max) });
export const ZSignUpForm = ZSignUpInput;
export const ZEmailForm = z.object({ email: ZEmail });
export const ZNewPasswordForm = z.object({ password: ZPassword });
export const ZChangePasswordForm = ZChangePasswordInput;

/**
 * The text for a field's error: the server's own words for a server error, else the field's
 * message in the page's language (the schemas' built-in messages are English only).
 */
export function fieldError(error: FieldError | undefined, translated: string): string | undefined {
  if (!error) return undefined;
  return error.type === "server" && error.message ? error.message : translated;
}
