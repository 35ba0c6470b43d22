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
  Input,
  Label,
} from "@aihub/ui";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import type { MemberRole } from "@/lib/org-access";

export interface PendingRoleChange {
  name: string;
  from: MemberRole;
  to: MemberRole;
}

/**
 * Asks before a member's role changes. Making someone an owner hands them everything, deleting
 * the organization included, so it also needs the organization's name typed.
 */
export function RoleChangeDialog({
  change,
  orgName,
  pending,
  onCancel,
  onConfirm,
}: {
  change: PendingRoleChange | null;
  orgName: string;
  pending: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const t = useTranslations("Members");
  const roles = useTranslations("Roles");
  const common = useTranslations("Common");
  const inputId = useId();
  const [typed, setTyped] = useState("");
  const needsTyping = change?.to === "owner";
  const ready = !needsTyping || typed.trim() === orgName;

  return (
    <AlertDialog
      open={change !== null}
      onOpenChange={(open) => {
        if (!open) {
          setTyped("");
          onCancel();
        }
      }}
    >
      <AlertDialogContent data-testid="role-change-dialog">
        <AlertDialogHeader>
          <AlertDialogTitle>{change ? t("roleChangeTitle", { name: change.name }) : null}</AlertDialogTitle>
          <AlertDialogDescription>
            {change ? t(needsTyping ? "roleChangeOwnerBody" : "roleChangeBody", { from: roles(change.from), to: roles(change.to) }) : null}
          </AlertDialogDescription>
        </AlertDialogHeader>
        {needsTyping ? (
          <div className="grid gap-1">
            <Label htmlFor={inputId}>{common("typeToConfirm", { text: orgName })}</Label>
            <Input
              id={inputId}
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              autoComplete="off"
              data-testid="role-change-type"
            />
          </div>
        ) : null}
        <AlertDialogFooter>
          <AlertDialogCancel data-testid="role-change-cancel">{common("cancel")}</AlertDialogCancel>
          <AlertDialogAction
            variant="primary"
            disabled={!ready || pending}
            onClick={(event) => {
              // Closed by the caller once the server has answered.
              event.preventDefault();
              setTyped("");
              onConfirm();
            }}
            data-testid="role-change-confirm"
          >
            {pending ? common("working") : t("roleChangeConfirm")}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
