"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { useServerErrors } from "@/components/form/use-server-errors";
import { fieldError, PASSWORD_LIMITS, ZNewPasswordForm } from "@/lib/account-forms";
import { useTRPC } from "@/trpc/react";

export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("ResetPassword");
  const fields = useTranslations("Fields");
  const validation = useTranslations("Validation");
  const router = useRouter();
  const trpc = useTRPC();
  const resetPassword = useMutation(trpc.account.resetPassword.mutationOptions());
  const serverErrors = useServerErrors();
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm({ resolver: zodResolver(ZNewPasswordForm), defaultValues: { password: "" } });

  const onSubmit = handleSubmit(async ({ password }) => {
    setFailure(null);
    try {
      await resetPassword.mutateAsync({ token, password });
    } catch (error) {
      setFailure(serverErrors(error, setError, ["password"]));
      return;
    }
    // Every session of the account just ended, this browser's included: drop its cookie too.
    await signOut({ redirect: false }).catch(() => undefined);
    setDone(true);
    router.refresh();
  });

  if (done) {
    return (
      <div className="stack stack--tight">
        <FormAlert tone="success" testId="reset-password-success">
          <strong>{t("successTitle")}</strong>
          <p>{t("successBody")}</p>
        </FormAlert>
        <p className="auth__links">
          <Link href="/sign-in">{t("signIn")}</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="stack stack--tight">
      {failure ? (
        <FormAlert tone="error" testId="reset-password-error">
          {failure}
        </FormAlert>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate data-testid="reset-password-form">
        <Field
          id="reset-password-password"
          label={fields("newPassword")}
          type="password"
          autoComplete="new-password"
          required
          hint={fields("passwordHint", { min: PASSWORD_LIMITS.min })}
          error={fieldError(errors.password, validation("password", PASSWORD_LIMITS))}
          {...register("password")}
        />
        <button type="submit" className="button button--block" disabled={isSubmitting} data-testid="reset-password-submit">
          {isSubmitting ? t("submitting") : t("submit")}
        </button>
      </form>
      {failure ? (
        <p className="auth__links">
          <Link href="/forgot-password">{t("requestNew")}</Link>
        </p>
      ) : null}
    </div>
  );
}
