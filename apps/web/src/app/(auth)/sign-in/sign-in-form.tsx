"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { EmailField, PasswordField } from "@/components/form/account-fields";
import { AuthForm } from "@/components/form/auth-form";
import { ZSignInForm } from "@/lib/account-forms";
import { SIGN_IN_ERROR, type SignInErrorKey, signInErrorKey } from "@/lib/auth-errors";

interface SignInFormProps {
  /** Where to go once signed in (already checked to be a path on this site). */
  callbackPath: string;
  /** next-auth's `?error=` code, e.g. after a refused OAuth sign-in. */
  initialError: string | null;
  oauthProviders: ("github" | "google")[];
}

export function SignInForm({ callbackPath, initialError, oauthProviders }: SignInFormProps) {
  const t = useTranslations("SignIn");
  const [failure, setFailure] = useState<SignInErrorKey | null>(signInErrorKey(initialError));
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm({ resolver: zodResolver(ZSignInForm), defaultValues: { email: "", password: "" } });

  const onSubmit = handleSubmit(async ({ email, password }) => {
    setFailure(null);
    const result = await signIn("credentials", { email, password, redirect: false }).catch(() => undefined);
    if (result?.ok && !result.error) {
      // A full load, so the header, the org switcher and every cached query start afresh as this user.
      window.location.assign(callbackPath);
      return;
    }
    setFailure(signInErrorKey(result?.error ?? SIGN_IN_ERROR.unavailable));
  });

  return (
    <AuthForm
      name="sign-in"
      onSubmit={onSubmit}
      failure={failure ? t(`errors.${failure}`) : null}
      submitting={isSubmitting}
      submitLabel={isSubmitting ? t("submitting") : t("submit")}
      footer={
        <>
          {oauthProviders.length > 0 ? (
            <div className="stack stack--tight">
              <p className="divider">{t("or")}</p>
              {oauthProviders.map((provider) => (
                <button
                  key={provider}
                  type="button"
                  className="button button--secondary button--block"
                  onClick={() => signIn(provider, { callbackUrl: callbackPath })}
                  data-testid={`sign-in-${provider}`}
                >
                  {provider === "github" ? t("withGithub") : t("withGoogle")}
                </button>
              ))}
            </div>
          ) : null}
          <p className="auth__links">
            <Link href="/forgot-password">{t("forgotPassword")}</Link>
          </p>
          <p className="auth__links muted">
            {t("noAccount")}{" "}
            <Link href={callbackPath === "/" ? "/sign-up" : `/sign-up?callbackUrl=${encodeURIComponent(callbackPath)}`}>
              {t("signUpLink")}
            </Link>
          </p>
        </>
      }
    >
      <EmailField id="sign-in-email" error={errors.email} {...register("email")} />
      <PasswordField id="sign-in-password" label="password" kind="current" error={errors.password} {...register("password")} />
    </AuthForm>
  );
}
