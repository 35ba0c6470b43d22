/**
 * Why a sign-in failed, as next-auth reports it (`?error=` on the sign-in page, `error` from
 * `signIn()`). Our own codes are thrown from the credentials provider; the others are
 * next-auth's. Shared by the server options and the sign-in form.
 */
export const SIGN_IN_ERROR = {
  /** next-auth's code for `authorize` returning null: wrong email or password (never says which). */
  wrongCredentials: "CredentialsSignin",
  tooManyRequests: "TooManyRequests",
  unavailable: "SignInUnavailable",
  /** next-auth's code for a refused OAuth sign-in (e.g. the provider's email is not verified). */
  accessDenied: "AccessDenied",
} as const;

export type SignInErrorKey = keyof typeof SIGN_IN_ERROR;

/** Maps an error code to a message key; unknown codes read as "try again later". */
export function signInErrorKey(code: string | null | undefined): SignInErrorKey | null {
  if (!code) return null;
  const known = Object.entries(SIGN_IN_ERROR).find(([, value]) => value === code);
  return (known?.[0] as SignInErrorKey | undefined) ?? "unavailable";
}
