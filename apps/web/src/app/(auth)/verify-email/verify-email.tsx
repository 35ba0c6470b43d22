"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { ResultPanel } from "@/components/form/result-panel";
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
      <ResultPanel
        tone="error"
        testId="verify-email-failed"
        title={t("failedTitle")}
        body={token ? serverErrors(error) : errors("invalidLink")}
        next={signedIn ? <Link href="/account">{t("requestNew")}</Link> : <Link href="/sign-in?callbackUrl=/account">{t("signIn")}</Link>}
      />
    );
  }

  if (status === "success") {
    return (
      <ResultPanel
        tone="success"
        testId="verify-email-success"
        title={t("successTitle")}
        body={t("successBody")}
        // A full load: the home page's "verify your email" notice must go.
        next={<a href={signedIn ? "/" : "/sign-in"}>{signedIn ? t("continue") : t("signIn")}</a>}
      />
    );
  }

  return (
    <p className="muted" role="status" data-testid="verify-email-pending">
      {t("verifying")}
    </p>
  );
}
