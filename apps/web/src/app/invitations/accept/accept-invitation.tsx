"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { FormAlert } from "@/components/form/form-alert";
import { errorReason, useApiError } from "@/components/form/use-api-error";
import { useTRPC } from "@/trpc/react";

/** Accepts the invitation in the link, then opens the organization. */
export function AcceptInvitation({ token }: { token: string }) {
  const t = useTranslations("AcceptInvitation");
  const trpc = useTRPC();
  const router = useRouter();
  const apiError = useApiError();
  const accept = useMutation(trpc.invitation.accept.mutationOptions());
  const [failure, setFailure] = useState<{ text: string; unverified: boolean } | null>(null);
  const [joined, setJoined] = useState<string | null>(null);

  if (token.length < 20) {
    return (
      <FormAlert tone="error" testId="accept-error">
        {t("missingToken")}
      </FormAlert>
    );
  }

  async function onAccept() {
    setFailure(null);
    try {
      const result = await accept.mutateAsync({ token });
      setJoined(result.organization.name);
      router.push(`/orgs/${result.organization.slug}`);
      router.refresh();
    } catch (error) {
      setFailure({ text: apiError(error), unverified: errorReason(error) === "EMAIL_NOT_VERIFIED" });
    }
  }

  return (
    <div className="stack stack--tight">
      <p className="muted">{t("body")}</p>
      {joined ? (
        <FormAlert tone="success" testId="accept-success">
          {t("joined", { name: joined })}
        </FormAlert>
      ) : null}
      {failure ? (
        <FormAlert tone="error" testId="accept-error">
          <p>{failure.text}</p>
          {failure.unverified ? (
            <p>
              <Link href="/account">{t("verifyLink")}</Link>
            </p>
          ) : null}
        </FormAlert>
      ) : null}
      <span>
        <button
          type="button"
          className="button"
          onClick={onAccept}
          disabled={accept.isPending || joined !== null}
          data-testid="accept-invitation"
        >
          {accept.isPending ? t("accepting") : t("accept")}
        </button>
      </span>
    </div>
  );
}
