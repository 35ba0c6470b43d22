"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { useServerErrors } from "@/components/form/use-server-errors";
import { fieldError, NAME_MAX, PASSWORD_LIMITS, ZSignUpForm } from "@/lib/account-forms";
import { useTRPC } from "@/trpc/react";

export function SignUpForm() {
  const t = useTranslations("SignUp");
  const fields = useTranslations("Fields");
  const validation = useTranslations("Validation");
  const trpc = useTRPC();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const serverErrors = useServerErrors();
  const [failure, setFailure] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm({ resolver: zodResolver(ZSignUpForm), defaultValues: { name: "", email: "", password: "" } });

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      await signUp.mutateAsync(values);
    } catch (error) {
      setFailure(serverErrors(error, setError, ["name", "email", "password"]));
      return;
    }
    // The answer is the same whether or not the email already had an account, so try to sign
    // in: it works for a new account (and for an old one whose password this was).
    const result = await signIn("credentials", { email: values.email, password: values.password, redirect: false }).catch(() => undefined);
    if (result?.ok && !result.error) {
      window.location.assign("/");
      return;
    }
    setSentTo(values.email);
  });

  if (sentTo) {
    return (
      <FormAlert tone="success" testId="sign-up-check-email">
        <strong>{t("checkEmailTitle")}</strong>
        <p>{t("checkEmailBody", { email: sentTo })}</p>
        <p>
          <Link href="/sign-in">{t("signInLink")}</Link>
        </p>
      </FormAlert>
    );
  }

  return (
    <div className="stack stack--tight">
      {failure ? (
        <FormAlert tone="error" testId="sign-up-error">
          {failure}
        </FormAlert>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate data-testid="sign-up-form">
        <Field
          id="sign-up-name"
          label={fields("name")}
          autoComplete="name"
          required
          maxLength={NAME_MAX}
          error={fieldError(errors.name, validation("name", { max: NAME_MAX }))}
          {...register("name")}
        />
        <Field
          id="sign-up-email"
          label={fields("email")}
          type="email"
          autoComplete="email"
          required
          error={fieldError(errors.email, validation("email"))}
          {...register("email")}
        />
        <Field
          id="sign-up-password"
          label={fields("password")}
          type="password"
          autoComplete="new-password"
          required
          hint={fields("passwordHint", { min: PASSWORD_LIMITS.min })}
          error={fieldError(errors.password, validation("password", PASSWORD_LIMITS))}
          {...register("password")}
        />
        <button type="submit" className="button button--block" disabled={isSubmitting} data-testid="sign-up-submit">
          {isSubmitting ? t("submitting") : t("submit")}
        </button>
      </form>
      <p className="auth__links muted">
        {t("haveAccount")} <Link href="/sign-in">{t("signInLink")}</Link>
      </p>
    </div>
  );
}
