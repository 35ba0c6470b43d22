"use client";

import { Button, toast } from "@aihub/ui";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { errorReason, useApiError } from "@/components/form/use-api-error";
import { useTRPC } from "@/trpc/react";

/**
 * Accept (join, then open the organization) or decline (leave the invitation as it is and go
 * home: there is no decline call, an unanswered invitation simply expires).
 */
export function AcceptInvitation({ token }: { token: string }) {
  const t = useTranslations("AcceptInvitation");
  const trpc = useTRPC();
  const router = useRouter();
  const apiError = useApiError();
  const accept = useMutation(trpc.invitation.accept.mutationOptions());
  const [failure, setFailure] = useState<{ text: string; unverified: boolean } | null>(null);
  const [joined, setJoined] = useState(false);

  async function onAccept() {
    setFailure(null);
    try {
      const result = await accept.mutateAsync({ token });
      setJoined(true);
      toast.success(t("joined", { name: result.organization.name }));
      router.push(`/orgs/${result.organization.slug}`);
      router.refresh();
    } catch (error) {
      const text = apiError(error);
      setFailure({ text, unverified: errorReason(error) === "EMAIL_NOT_VERIFIED" });
      toast.error(text);
    }
  }

  return (
    <div className="grid gap-3">
      {failure ? (
        <div
          role="alert"
          className="grid gap-1 rounded-md border border-destructive bg-destructive-bg p-3 text-sm"
          data-testid="accept-error"
        >
          <p>{failure.text}</p>
          {failure.unverified ? (
            <p>
              <Link href="/account">{t("verifyLink")}</Link>
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button onClick={onAccept} disabled={accept.isPending || joined} data-testid="accept-invitation">
          {accept.isPending ? t("accepting") : t("accept")}
        </Button>
        <Button
          variant="secondary"
          disabled={accept.isPending || joined}
          onClick={() => {
            toast.info(t("declined"));
            router.push("/");
          }}
          data-testid="decline-invitation"
        >
          {t("decline")}
        </Button>
      </div>
    </div>
  );
}
