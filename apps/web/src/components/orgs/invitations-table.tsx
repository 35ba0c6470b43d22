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
  Button,
  type ColumnDef,
  DataTable,
  EmptyState,
  Truncate,
} from "@aihub/ui";
import { MailIcon } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { RoleBadge } from "./ui";

type Invitation = RouterOutputs["invitation"]["list"]["items"][number];

/** Pending invitations on the kit's table: email, role, expiry, Resend and Revoke (after a confirmation). */
export function InvitationsTable({
  invitations,
  loading,
  busy,
  onResend,
  onRevoke,
}: {
  invitations: Invitation[];
  loading: boolean;
  busy: boolean;
  onResend: (invitation: Invitation) => Promise<void>;
  onRevoke: (invitation: Invitation) => Promise<void>;
}) {
  const t = useTranslations("Invitations");
  const common = useTranslations("Common");
  const format = useFormatter();
  const [revoking, setRevoking] = useState<Invitation | null>(null);

  const columns = useMemo<ColumnDef<Invitation, unknown>[]>(
    () => [
      {
        id: "email",
        accessorKey: "email",
        header: t("email"),
        meta: { label: t("email") },
        enableHiding: false,
        cell: ({ row }) => <Truncate>{row.original.email}</Truncate>,
      },
      {
        id: "role",
        accessorKey: "role",
        header: t("role"),
        meta: { label: t("role") },
        cell: ({ row }) => <RoleBadge role={row.original.role} />,
      },
      {
        id: "expires",
        accessorFn: (row) => row.expiresAt.getTime(),
        header: t("expires"),
        meta: { label: t("expires"), optional: true },
        cell: ({ row }) => (
          <time className="whitespace-nowrap" dateTime={row.original.expiresAt.toISOString()}>
            {format.relativeTime(row.original.expiresAt)} ({format.dateTime(row.original.expiresAt, { dateStyle: "medium" })})
          </time>
        ),
      },
      {
        id: "actions",
        header: () => <span className="sr-only">{t("actions")}</span>,
        meta: { label: t("actions") },
        enableSorting: false,
        enableHiding: false,
        cell: ({ row }) => (
          <div className="flex justify-end gap-2">
            <Button
              variant="secondary"
              size="sm"
              disabled={busy}
              onClick={() => void onResend(row.original)}
              aria-label={t("resendFor", { email: row.original.email })}
              data-testid="invitation-resend"
            >
              {t("resend")}
            </Button>
            <Button
              variant="destructive"
              size="sm"
              onClick={() => setRevoking(row.original)}
              aria-label={t("revokeFor", { email: row.original.email })}
              data-testid="invitation-revoke"
            >
              {t("revoke")}
            </Button>
          </div>
        ),
      },
    ],
    [t, format, busy, onResend],
  );

  return (
    <>
      <DataTable
        columns={columns}
        data={invitations}
        caption={t("pendingTitle")}
        loading={loading}
        getRowId={(row) => row.id}
        rowTestId="invitation-row"
        rowProps={(row) => ({ "data-email": row.email })}
        urlPrefix="inv_"
        labels={{
          loading: t("loadingMore"),
          previous: t("previous"),
          next: t("next"),
          page: (page, pages) => t("page", { page, pages }),
          columns: t("columnsMenu"),
          sortBy: (column) => t("sortBy", { column }),
        }}
        empty={
          <EmptyState
            icon={<MailIcon aria-hidden="true" />}
            title={t("emptyTitle")}
            description={t("emptyBody")}
            data-testid="invitations-empty"
          />
        }
      />
      <AlertDialog open={revoking !== null} onOpenChange={(open) => !open && setRevoking(null)}>
        <AlertDialogContent data-testid="invitation-revoke-dialog">
          <AlertDialogHeader>
            <AlertDialogTitle>{t("revokeConfirm")}</AlertDialogTitle>
            <AlertDialogDescription>{revoking ? t("revokeQuestion", { email: revoking.email }) : null}</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>{common("cancel")}</AlertDialogCancel>
            <AlertDialogAction
              onClick={() => {
                if (revoking) void onRevoke(revoking);
                setRevoking(null);
              }}
              data-testid="invitation-revoke-confirm"
            >
              {t("revokeConfirm")}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
