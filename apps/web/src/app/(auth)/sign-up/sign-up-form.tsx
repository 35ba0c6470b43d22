"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { EmailField, PasswordField } from "@/components/form/account-fields";
import { AuthForm } from "@/components/form/auth-form";
import { Field } from "@/components/form/field";
import { ResultPanel } from "@/components/form/result-panel";
import { useServerForm } from "@/components/form/use-server-form";
import { isLocale } from "@/i18n/config";
import { fieldError, NAME_MAX, ZSignUpForm } from "@/lib/account-forms";
import { useTRPC } from "@/trpc/react";

export function SignUpForm({ callbackPath = "/", defaultEmail = "" }: { callbackPath?: string; defaultEmail?: string }) {
  const t = useTranslations("SignUp");
  const fields = useTranslations("Fields");
  const validation = useTranslations("Validation");
  const locale = useLocale();
  const trpc = useTRPC();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [sentTo, setSentTo] = useState<string | null>(null);
  const {
    register,
    submit,
    failure,
    formState: { errors, isSubmitting },
  } = useServerForm(ZSignUpForm, { name: "", email: defaultEmail, password: "" });

  const onSubmit = submit(async (values) => {
    // The account's mail is written in the language the page was in.
    await signUp.mutateAsync({ ...values, locale: isLocale(locale) ? locale : undefined });
    // The answer is the same whether or not the email already had an account, so try to sign
    // in: it works for a new account (and for an old one whose password this was).
    const result = await signIn("credentials", { email: values.email, password: values.password, redirect: false }).catch(() => undefined);
    if (result?.ok && !result.error) {
      window.location.assign(callbackPath);
      return;
    }
    setSentTo(values.email);
  });

  // Signing in instead keeps the same destination.
  const signInHref = callbackPath === "/" ? "/sign-in" : `/sign-in?callbackUrl=${encodeURIComponent(callbackPath)}`;
  const signInLink = <Link href={signInHref}>{t("signInLink")}</Link>;
  if (sentTo) {
    return (
      <ResultPanel
        tone="success"
        testId="sign-up-check-email"
        title={t("checkEmailTitle")}
        body={t("checkEmailBody", { email: sentTo })}
        next={signInLink}
      />
    );
  }

  return (
    <AuthForm
      name="sign-up"
      onSubmit={onSubmit}
      failure={failure}
      submitting={isSubmitting}
      submitLabel={isSubmitting ? t("submitting") : t("submit")}
      footer={
        <p className="auth__links muted">
          {t("haveAccount")} {signInLink}
        </p>
      }
    >
      <Field
        id="sign-up-name"
        label={fields("name")}
        autoComplete="name"
        required
        maxLength={NAME_MAX}
        error={fieldError(errors.name, validation("name", { max: NAME_MAX }))}
        {...register("name")}
      />
      <EmailField id="sign-up-email" error={errors.email} {...register("email")} />
      <PasswordField id="sign-up-password" label="password" kind="new" error={errors.password} {...register("password")} />
    </AuthForm>
  );
}
