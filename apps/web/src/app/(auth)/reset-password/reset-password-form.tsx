"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { PasswordField } from "@/components/form/account-fields";
import { AuthForm } from "@/components/form/auth-form";
import { ResultPanel } from "@/components/form/result-panel";
import { useServerForm } from "@/components/form/use-server-form";
import { ZNewPasswordForm } from "@/lib/account-forms";
import { useTRPC } from "@/trpc/react";

export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("ResetPassword");
  const router = useRouter();
  const trpc = useTRPC();
  const resetPassword = useMutation(trpc.account.resetPassword.mutationOptions());
  const [done, setDone] = useState(false);
  const {
    register,
    submit,
    failure,
    formState: { errors, isSubmitting },
  } = useServerForm(ZNewPasswordForm, { password: "" });

  const onSubmit = submit(async ({ password }) => {
    await resetPassword.mutateAsync({ token, password });
    // Every session of the account just ended, this browser's included: drop its cookie too.
    await signOut({ redirect: false }).catch(() => undefined);
    setDone(true);
    router.refresh();
  });

  if (done) {
    return (
      <ResultPanel
        tone="success"
        testId="reset-password-success"
        title={t("successTitle")}
        body={t("successBody")}
        next={<Link href="/sign-in">{t("signIn")}</Link>}
      />
    );
  }

  return (
    <AuthForm
      name="reset-password"
      onSubmit={onSubmit}
      failure={failure}
      submitting={isSubmitting}
      submitLabel={isSubmitting ? t("submitting") : t("submit")}
      footer={
        failure ? (
          <p className="auth__links">
            <Link href="/forgot-password">{t("requestNew")}</Link>
          </p>
        ) : null
      }
    >
      <PasswordField id="reset-password-password" label="newPassword" kind="new" error={errors.password} {...register("password")} />
    </AuthForm>
  );
}
