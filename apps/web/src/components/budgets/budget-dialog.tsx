"use client";

import {
  Button,
  Checkbox,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Input,
  inputClass,
  Label,
} from "@aihub/ui";
import { useTranslations } from "next-intl";
import { type FormEvent, useEffect, useId, useState } from "react";
import { microsToDecimal, toMicros } from "@/lib/money";
import { parseThresholds } from "./alert-settings";

export type BudgetScope = "organization" | "team" | "member" | "api_key";
export interface TargetOption {
  id: string;
  name: string;
}

export interface BudgetInput {
  scope: BudgetScope;
  scopeId: string | null;
  periodLimit: string;
  hardLimit: boolean;
  alertThresholds: number[];
  allowAboveParent: boolean;
}

export interface BudgetDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  currency: string;
  /** The budget being edited; none for a new one. */
  initial: Omit<BudgetInput, "allowAboveParent"> | null;
  targets: Record<Exclude<BudgetScope, "organization">, TargetOption[]>;
  onSubmit: (input: BudgetInput) => Promise<boolean>;
}

/** A scope's budget: the limit typed as a decimal amount and sent as exact micro-units. */
export function BudgetDialog({ open, onOpenChange, currency, initial, targets, onSubmit }: BudgetDialogProps) {
  const t = useTranslations("Budgets.dialog");
  const scopes = useTranslations("Budgets.scope");
  const alerts = useTranslations("Budgets.alerts.errors");
  const id = useId();
  const [scope, setScope] = useState<BudgetScope>("organization");
  const [scopeId, setScopeId] = useState("");
  const [limit, setLimit] = useState("");
  const [hard, setHard] = useState(true);
  const [thresholds, setThresholds] = useState("50, 80, 100");
  const [above, setAbove] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    setScope(initial?.scope ?? "organization");
    setScopeId(initial?.scopeId ?? "");
    setLimit(initial ? microsToDecimal(initial.periodLimit) : "");
    setHard(initial?.hardLimit ?? true);
    setThresholds((initial?.alertThresholds ?? [50, 80, 100]).join(", "));
    setAbove(false);
    setErrors({});
  }, [open, initial]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    const micros = toMicros(limit);
    if (micros === null) next.limit = t("limitError");
    if (scope !== "organization" && !scopeId) next.target = t("targetError");
    const parsed = parseThresholds(thresholds);
    if (!parsed.ok) next.thresholds = alerts(parsed.error);
    setErrors(next);
    if (Object.keys(next).length > 0 || micros === null || !parsed.ok) return;
    setSaving(true);
    try {
      const ok = await onSubmit({
        scope,
        scopeId: scope === "organization" ? null : scopeId,
        periodLimit: micros,
        hardLimit: hard,
        alertThresholds: parsed.value,
        allowAboveParent: above,
      });
      if (ok) onOpenChange(false);
    } finally {
      setSaving(false);
    }
  };

  const field = (name: string) => ({
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${id}-${name}-error` : undefined,
  });
  const error = (name: string) =>
    errors[name] ? (
      <p id={`${id}-${name}-error`} className="text-sm text-destructive">
        {errors[name]}
      </p>
    ) : null;

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent data-testid="budget-dialog">
        <DialogHeader>
          <DialogTitle>{t("title")}</DialogTitle>
          <DialogDescription>{t("description", { currency })}</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <div className="grid gap-1">
            <Label htmlFor={`${id}-scope`}>{t("scope")}</Label>
            <select
              id={`${id}-scope`}
              className={inputClass}
              value={scope}
              disabled={initial !== null}
              onChange={(e) => {
                setScope(e.target.value as BudgetScope);
                setScopeId("");
              }}
            >
              {(["organization", "team", "member", "api_key"] as const).map((s) => (
                <option key={s} value={s}>
                  {scopes(s)}
                </option>
              ))}
            </select>
          </div>
          {scope !== "organization" ? (
            <div className="grid gap-1">
              <Label htmlFor={`${id}-target`}>{t("target")}</Label>
              <select
                id={`${id}-target`}
                className={inputClass}
                value={scopeId}
                disabled={initial !== null}
                onChange={(e) => setScopeId(e.target.value)}
                {...field("target")}
              >
                <option value="">{t("chooseTarget")}</option>
                {targets[scope].map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
              {error("target")}
            </div>
          ) : null}
          <div className="grid gap-1">
            <Label htmlFor={`${id}-limit`}>{t("limit")}</Label>
            <Input id={`${id}-limit`} inputMode="decimal" value={limit} onChange={(e) => setLimit(e.target.value)} {...field("limit")} />
            <p className="text-xs text-muted-foreground">{t("limitHint")}</p>
            {error("limit")}
          </div>
          <div className="flex items-center gap-2">
            <Checkbox id={`${id}-hard`} checked={hard} onCheckedChange={(v) => setHard(v === true)} />
            <Label htmlFor={`${id}-hard`}>{t("hard")}</Label>
          </div>
          <div className="grid gap-1">
            <Label htmlFor={`${id}-thresholds`}>{t("thresholds")}</Label>
            <Input id={`${id}-thresholds`} value={thresholds} onChange={(e) => setThresholds(e.target.value)} {...field("thresholds")} />
            {error("thresholds")}
          </div>
          {scope !== "organization" ? (
            <div className="flex items-center gap-2">
              <Checkbox id={`${id}-above`} checked={above} onCheckedChange={(v) => setAbove(v === true)} />
              <Label htmlFor={`${id}-above`}>{t("allowAboveParent")}</Label>
            </div>
          ) : null}
          <DialogFooter>
            <Button type="button" variant="secondary" onClick={() => onOpenChange(false)}>
              {t("cancel")}
            </Button>
            <Button type="submit" disabled={saving}>
              {t("save")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
