"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { EmailField } from "@/components/form/account-fields";
import { AuthForm } from "@/components/form/auth-form";
import { ResultPanel } from "@/components/form/result-panel";
import { useServerForm } from "@/components/form/use-server-form";
import { ZEmailForm } from "@/lib/account-forms";
import { useTRPC } from "@/trpc/react";

export function ForgotPasswordForm() {
  const t = useTranslations("ForgotPassword");
  const trpc = useTRPC();
  const requestReset = useMutation(trpc.account.requestPasswordReset.mutationOptions());
  const [sentTo, setSentTo] = useState<string | null>(null);
  const {
    register,
    submit,
    failure,
    formState: { errors, isSubmitting },
  } = useServerForm(ZEmailForm, { email: "" });

  const onSubmit = submit(async (values) => {
    await requestReset.mutateAsync(values);
    // The same answer whether or not the address has an account.
    setSentTo(values.email);
  });

  const backToSignIn = <Link href="/sign-in">{t("backToSignIn")}</Link>;
  if (sentTo) {
    return (
      <ResultPanel
        tone="success"
        testId="forgot-password-sent"
        title={t("sentTitle")}
        body={t("sentBody", { email: sentTo })}
        next={backToSignIn}
      />
    );
  }

  return (
    <AuthForm
      name="forgot-password"
      onSubmit={onSubmit}
      failure={failure}
      submitting={isSubmitting}
      submitLabel={isSubmitting ? t("submitting") : t("submit")}
      footer={<p className="auth__links">{backToSignIn}</p>}
    >
      <EmailField id="forgot-password-email" error={errors.email} {...register("email")} />
    </AuthForm>
  );
}
