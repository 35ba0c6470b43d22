"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { FormAlert } from "@/components/form/form-alert";
import { useServerErrors } from "@/components/form/use-server-errors";
import { useTRPC } from "@/trpc/react";

/**
 * Spends the link's token as soon as the page runs in a browser: in an effect, not during the
 * server render, so a mail scanner fetching the URL without running scripts doesn't use it up.
 */
export function VerifyEmail({ token, signedIn }: { token: string; signedIn: boolean }) {
  const t = useTranslations("VerifyEmail");
  const errors = useTranslations("Errors");
  const trpc = useTRPC();
  const serverErrors = useServerErrors();
  const { mutate, status, error } = useMutation(trpc.account.verifyEmail.mutationOptions());
  const started = useRef(false);

  useEffect(() => {
    // Once: the token works a single time, and development mode runs effects twice.
    if (!token || started.current) return;
    started.current = true;
    mutate({ token });
  }, [mutate, token]);

  if (!token || status === "error") {
    return (
      <div className="stack stack--tight">
        <FormAlert tone="error" testId="verify-email-failed">
          <strong>{t("failedTitle")}</strong>
          <p>{token ? serverErrors(error) : errors("invalidLink")}</p>
        </FormAlert>
        <p className="auth__links">
          {signedIn ? <Link href="/account">{t("requestNew")}</Link> : <Link href="/sign-in?callbackUrl=/account">{t("signIn")}</Link>}
        </p>
      </div>
    );
  }

  if (status === "success") {
    return (
      <div className="stack stack--tight">
        <FormAlert tone="success" testId="verify-email-success">
          <strong>{t("successTitle")}</strong>
          <p>{t("successBody")}</p>
        </FormAlert>
        <p className="auth__links">
          {/* A full load: the home page's "verify your email" notice must go. */}
          <a href={signedIn ? "/" : "/sign-in"}>{signedIn ? t("continue") : t("signIn")}</a>
        </p>
      </div>
    );
  }

  return (
    <p className="muted" role="status" data-testid="verify-email-pending">
      {t("verifying")}
    </p>
  );
}
