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
  AlertDialogTrigger,
  Button,
  Label,
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@aihub/ui";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import type { ApiKeyRow } from "./columns";

/** Grace periods offered on rotation (seconds); the server allows up to seven days. */
const GRACE_OPTIONS = [0, 3600, 86_400, 604_800] as const;

/** Edit, rotate and revoke of one active key; rotate and revoke ask first. */
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
  return (
    <div className="flex flex-wrap gap-1">
      <Button variant="secondary" size="sm" onClick={onEdit} data-testid="api-key-edit">
        {t("edit")}
      </Button>
      <AlertDialog>
        <AlertDialogTrigger asChild>
          <Button variant="secondary" size="sm" data-testid="api-key-rotate">
            {t("rotate")}
          </Button>
        </AlertDialogTrigger>
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
      <AlertDialog>
        <AlertDialogTrigger asChild>
          <Button variant="destructive" size="sm" data-testid="api-key-revoke">
            {t("revoke")}
          </Button>
        </AlertDialogTrigger>
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
    </div>
  );
}
