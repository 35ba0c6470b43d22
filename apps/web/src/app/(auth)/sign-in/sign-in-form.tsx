"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { fieldError, ZSignInForm } from "@/lib/account-forms";
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
  const fields = useTranslations("Fields");
  const validation = useTranslations("Validation");
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
    <div className="stack stack--tight">
      {failure ? (
        <FormAlert tone="error" testId="sign-in-error">
          {t(`errors.${failure}`)}
        </FormAlert>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate data-testid="sign-in-form">
        <Field
          id="sign-in-email"
          label={fields("email")}
          type="email"
          autoComplete="email"
          required
          error={fieldError(errors.email, validation("email"))}
          {...register("email")}
        />
        <Field
          id="sign-in-password"
          label={fields("password")}
          type="password"
          autoComplete="current-password"
          required
          error={fieldError(errors.password, validation("required"))}
          {...register("password")}
        />
        <button type="submit" className="button button--block" disabled={isSubmitting} data-testid="sign-in-submit">
          {isSubmitting ? t("submitting") : t("submit")}
        </button>
      </form>
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
        {t("noAccount")} <Link href="/sign-up">{t("signUpLink")}</Link>
      </p>
    </div>
  );
}
