"use client";

import type { RouterOutputs } from "@aihub/api";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  Badge,
  Button,
  toast,
} from "@aihub/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArchiveRestoreIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { useApiError } from "@/components/form/use-api-error";
import { useTRPC } from "@/trpc/react";

type DeletedOrg = RouterOutputs["organization"]["listDeleted"][number];

const DAY_MS = 86_400_000;

/** Whole days left to restore (0 on the last day), from the server's deadline. */
export function daysLeft(restorableUntil: Date, now: Date): number {
  return Math.max(0, Math.floor((restorableUntil.getTime() - now.getTime()) / DAY_MS));
}

/** Deleted organizations the caller owns and may still restore, each with a Restore button. */
export function DeletedOrganizations({ initial }: { initial: DeletedOrg[] }) {
  const t = useTranslations("DeletedOrgs");
  const format = useFormatter();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const apiError = useApiError();
  const list = useQuery({ ...trpc.organization.listDeleted.queryOptions(), initialData: initial });
  const restore = useMutation(trpc.organization.restore.mutationOptions());
  const [confirming, setConfirming] = useState<DeletedOrg | null>(null);
  const rows = list.data ?? [];
  if (rows.length === 0) return null;
  const now = new Date();

  async function onRestore(org: DeletedOrg) {
    try {
      await restore.mutateAsync({ orgId: org.id });
      toast.success(t("restored", { name: org.name }));
      setConfirming(null);
      await queryClient.invalidateQueries(trpc.organization.pathFilter());
      // The organization list above is rendered on the server.
      router.refresh();
    } catch (error) {
      toast.error(apiError(error));
    }
  }

  return (
    <section className="grid gap-3" aria-labelledby="deleted-orgs-title" data-testid="deleted-orgs">
      <div className="grid gap-1">
        <h2 className="text-lg font-semibold" id="deleted-orgs-title">
          {t("title")}
        </h2>
        <p className="text-sm text-muted-foreground">{t("intro")}</p>
      </div>
      <ul className="grid gap-2">
        {rows.map((org) => {
          const left = daysLeft(org.restorableUntil, now);
          return (
            <li
              key={org.id}
              className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-border bg-card p-3"
              data-testid="deleted-org"
              data-org-slug={org.slug}
            >
              <div className="grid min-w-0 gap-1">
                <span className="truncate font-semibold">{org.name}</span>
                <span className="text-sm text-muted-foreground">
                  {t("deletedAt", { date: format.dateTime(org.deletedAt, { dateStyle: "medium", timeStyle: "short" }) })}
                </span>
              </div>
              <div className="flex items-center gap-3">
                <Badge variant={left <= 3 ? "warning" : "outline"} data-testid="deleted-org-days-left">
                  {t("daysLeft", { count: left })}
                </Badge>
                <Button size="sm" variant="secondary" onClick={() => setConfirming(org)} data-testid="deleted-org-restore">
                  <ArchiveRestoreIcon aria-hidden="true" />
                  {t("restore")}
                  <span className="sr-only"> {org.name}</span>
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
      <AlertDialog open={confirming !== null} onOpenChange={(open) => !open && setConfirming(null)}>
        <AlertDialogContent data-testid="deleted-org-restore-dialog">
          <AlertDialogHeader>
            <AlertDialogTitle>{t("confirmTitle", { name: confirming?.name ?? "" })}</AlertDialogTitle>
            <AlertDialogDescription>{t("confirmBody")}</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>{t("cancel")}</AlertDialogCancel>
            <AlertDialogAction
              disabled={restore.isPending}
              onClick={(event) => {
                // Stay open until the server answers.
                event.preventDefault();
                if (confirming) void onRestore(confirming);
              }}
              data-testid="deleted-org-restore-confirm"
            >
              {restore.isPending ? t("restoring") : t("restore")}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </section>
  );
}
