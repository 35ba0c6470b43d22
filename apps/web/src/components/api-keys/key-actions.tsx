"use client";

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
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
  Label,
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@aihub/ui";
import { EllipsisIcon, PencilIcon, RefreshCwIcon, TrashIcon } from "lucide-react";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import type { ApiKeyRow } from "./columns";

/** Grace periods offered on rotation (seconds); the server allows up to seven days. */
const GRACE_OPTIONS = [0, 3600, 86_400, 604_800] as const;

/** A menu with edit, rotate and revoke of one active key; rotate and revoke ask first. */
export function KeyActions({
  apiKey,
  onEdit,
  onRotate,
  onRevoke,
}: {
  apiKey: ApiKeyRow;
  onEdit: () => void;
  onRotate: (gracePeriodSeconds: number) => Promise<void>;
  onRevoke: () => Promise<void>;
}) {
  const t = useTranslations("ApiKeys");
  const [grace, setGrace] = useState<string>("86400");
  const graceId = useId();
  const [dialog, setDialog] = useState<"rotate" | "revoke" | null>(null);
  const onOpenChange = (open: boolean) => (open ? undefined : setDialog(null));
  return (
    <>
      {/* Not modal: the confirmations it opens take the focus and the page lock themselves. */}
      <DropdownMenu modal={false}>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label={t("actionsFor", { name: apiKey.name })} data-testid="api-key-actions">
            <EllipsisIcon aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={onEdit} data-testid="api-key-edit">
            <PencilIcon aria-hidden="true" />
            {t("edit")}
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setDialog("rotate")} data-testid="api-key-rotate">
            <RefreshCwIcon aria-hidden="true" />
            {t("rotate")}
          </DropdownMenuItem>
          <DropdownMenuItem variant="destructive" onSelect={() => setDialog("revoke")} data-testid="api-key-revoke">
            <TrashIcon aria-hidden="true" />
            {t("revoke")}
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <AlertDialog open={dialog === "rotate"} onOpenChange={onOpenChange}>
        <AlertDialogContent data-testid="api-key-rotate-dialog">
          <AlertDialogHeader>
            <AlertDialogTitle>{t("rotateTitle", { name: apiKey.name })}</AlertDialogTitle>
            <AlertDialogDescription>{t("rotateQuestion")}</AlertDialogDescription>
          </AlertDialogHeader>
          <div className="grid gap-1">
            <Label htmlFor={graceId}>{t("grace")}</Label>
            <Select value={grace} onValueChange={setGrace}>
              <SelectTrigger id={graceId} data-testid="api-key-grace-select">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {GRACE_OPTIONS.map((seconds) => (
                  <SelectItem key={seconds} value={String(seconds)}>
                    {t(`graceOptions.${seconds}`)}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <AlertDialogFooter>
            <AlertDialogCancel>{t("cancel")}</AlertDialogCancel>
            <AlertDialogAction variant="primary" onClick={() => onRotate(Number(grace))} data-testid="api-key-rotate-confirm">
              {t("rotate")}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
      <AlertDialog open={dialog === "revoke"} onOpenChange={onOpenChange}>
        <AlertDialogContent data-testid="api-key-revoke-dialog">
          <AlertDialogHeader>
            <AlertDialogTitle>{t("revokeTitle", { name: apiKey.name })}</AlertDialogTitle>
            <AlertDialogDescription>{t("revokeQuestion")}</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>{t("cancel")}</AlertDialogCancel>
            <AlertDialogAction onClick={() => onRevoke()} data-testid="api-key-revoke-confirm">
              {t("revoke")}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
