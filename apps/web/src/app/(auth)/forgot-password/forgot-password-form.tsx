"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { useServerErrors } from "@/components/form/use-server-errors";
import { fieldError, ZEmailForm } from "@/lib/account-forms";
import { useTRPC } from "@/trpc/react";

export function ForgotPasswordForm() {
  const t = useTranslations("ForgotPassword");
  const fields = useTranslations("Fields");
  const validation = useTranslations("Validation");
  const trpc = useTRPC();
  const requestReset = useMutation(trpc.account.requestPasswordReset.mutationOptions());
  const serverErrors = useServerErrors();
  const [failure, setFailure] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm({ resolver: zodResolver(ZEmailForm), defaultValues: { email: "" } });

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      await requestReset.mutateAsync(values);
      // The same answer whether or not the address has an account.
      setSentTo(values.email);
    } catch (error) {
      setFailure(serverErrors(error, setError, ["email"]));
    }
  });

  if (sentTo) {
    return (
      <div className="stack stack--tight">
        <FormAlert tone="success" testId="forgot-password-sent">
          <strong>{t("sentTitle")}</strong>
          <p>{t("sentBody", { email: sentTo })}</p>
        </FormAlert>
        <p className="auth__links">
          <Link href="/sign-in">{t("backToSignIn")}</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="stack stack--tight">
      {failure ? (
        <FormAlert tone="error" testId="forgot-password-error">
          {failure}
        </FormAlert>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate data-testid="forgot-password-form">
        <Field
          id="forgot-password-email"
          label={fields("email")}
          type="email"
          autoComplete="email"
          required
          error={fieldError(errors.email, validation("email"))}
          {...register("email")}
        />
        <button type="submit" className="button button--block" disabled={isSubmitting} data-testid="forgot-password-submit">
          {isSubmitting ? t("submitting") : t("submit")}
        </button>
      </form>
      <p className="auth__links">
        <Link href="/sign-in">{t("backToSignIn")}</Link>
      </p>
    </div>
  );
}
