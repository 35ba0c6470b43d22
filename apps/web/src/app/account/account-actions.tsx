"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signIn, signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { PasswordField } from "@/components/form/account-fields";
import { FormAlert } from "@/components/form/form-alert";
import { useServerErrors } from "@/components/form/use-server-errors";
import { useServerForm } from "@/components/form/use-server-form";
import { ZChangePasswordForm } from "@/lib/account-forms";
import { useTRPC } from "@/trpc/react";

/** Sends a new verification link to the account's address. */
export function ResendVerification({ email }: { email: string }) {
  const t = useTranslations("Account");
  const trpc = useTRPC();
  const serverErrors = useServerErrors();
  const resend = useMutation(trpc.account.requestEmailVerification.mutationOptions());
  return (
    <div className="stack stack--tight">
      <span>
        <button
          type="button"
          className="button button--secondary"
          disabled={resend.isPending}
          onClick={() => resend.mutate()}
          data-testid="resend-verification"
        >
          {resend.isPending ? t("resending") : t("resend")}
        </button>
      </span>
      {resend.isSuccess ? (
        <FormAlert tone="success" testId="resend-verification-result">
          {resend.data.status === "already_verified" ? t("alreadyVerified") : t("resent", { email })}
        </FormAlert>
      ) : null}
      {resend.isError ? (
        <FormAlert tone="error" testId="resend-verification-error">
          {serverErrors(resend.error)}
        </FormAlert>
      ) : null}
    </div>
  );
}

/**
 * Changes the password. The API ends every session of the account, this one too, so the
 * form signs straight back in with the new password: other devices are out, this one stays.
 */
export function ChangePasswordForm({ email }: { email: string }) {
  const t = useTranslations("Account");
  const router = useRouter();
  const trpc = useTRPC();
  const changePassword = useMutation(trpc.account.changePassword.mutationOptions());
  const [changed, setChanged] = useState(false);
  const {
    register,
    submit,
    failure,
    reset,
    formState: { errors, isSubmitting },
  } = useServerForm(ZChangePasswordForm, { currentPassword: "", newPassword: "" });

  const onSubmit = submit(async (values) => {
    setChanged(false);
    await changePassword.mutateAsync(values);
    const again = await signIn("credentials", { email, password: values.newPassword, redirect: false }).catch(() => undefined);
    if (!again?.ok || again.error) {
      window.location.assign("/sign-in?callbackUrl=/account");
      return;
    }
    reset();
    setChanged(true);
    router.refresh();
  });

  return (
    <div className="stack stack--tight">
      {failure ? (
        <FormAlert tone="error" testId="change-password-error">
          {failure}
        </FormAlert>
      ) : null}
      {changed ? (
        <FormAlert tone="success" testId="change-password-success">
          {t("passwordChanged")}
        </FormAlert>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate data-testid="change-password-form">
        <PasswordField
          id="change-password-current"
          label="currentPassword"
          kind="current"
          error={errors.currentPassword}
          {...register("currentPassword")}
        />
        <PasswordField id="change-password-new" label="newPassword" kind="new" error={errors.newPassword} {...register("newPassword")} />
        <span>
          <button type="submit" className="button" disabled={isSubmitting} data-testid="change-password-submit">
            {isSubmitting ? t("changingPassword") : t("changePassword")}
          </button>
        </span>
      </form>
    </div>
  );
}

/** Ends every session of the account, including this browser's, then goes to sign in. */
export function SignOutEverywhere() {
  const t = useTranslations("Account");
  const trpc = useTRPC();
  const serverErrors = useServerErrors();
  const signOutEverywhere = useMutation(trpc.account.signOutEverywhere.mutationOptions());
  const [leaving, setLeaving] = useState(false);

  async function onClick() {
    try {
      await signOutEverywhere.mutateAsync();
    } catch {
      return; // shown below
    }
    setLeaving(true);
    await signOut({ redirect: false }).catch(() => undefined);
    window.location.assign("/sign-in");
  }

  return (
    <div className="stack stack--tight">
      <span>
        <button
          type="button"
          className="button button--danger"
          disabled={signOutEverywhere.isPending || leaving}
          onClick={onClick}
          data-testid="sign-out-everywhere"
        >
          {signOutEverywhere.isPending || leaving ? t("signingOutEverywhere") : t("signOutEverywhere")}
        </button>
      </span>
      {signOutEverywhere.isError ? (
        <FormAlert tone="error" testId="sign-out-everywhere-error">
          {serverErrors(signOutEverywhere.error)}
        </FormAlert>
      ) : null}
    </div>
  );
}
