"use client";

import { Badge, Button, Input, inputClass, Label, Textarea, toast } from "@aihub/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { type FormEvent, useId, useState } from "react";
import { useApiError } from "@/components/form/use-api-error";
import { useOrg } from "@/components/orgs/org-context";
import { formatMoney, toMicros } from "@/lib/money";
import { useTRPC } from "@/trpc/react";

export interface BudgetChoice {
  id: string;
  name: string;
}

/** Ask for more headroom on a budget; deciders (budget:write) approve or deny with a note. */
export function IncreaseRequests({ currency, budgets }: { currency: string; budgets: BudgetChoice[] }) {
  const t = useTranslations("Budgets.increase");
  const format = useFormatter();
  const locale = useLocale();
  const { org, can, userId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const apiError = useApiError();
  const id = useId();
  const canDecide = can("budget:write");
  const list = useQuery(trpc.budget.listIncreaseRequests.queryOptions({ orgId: org.id }));
  const ask = useMutation(trpc.budget.requestIncrease.mutationOptions());
  const decide = useMutation(trpc.budget.decideIncrease.mutationOptions());
  const cancel = useMutation(trpc.budget.cancelIncreaseRequest.mutationOptions());
  const [budgetId, setBudgetId] = useState("");
  const [amount, setAmount] = useState("");
  const [until, setUntil] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const refresh = () => Promise.all([queryClient.invalidateQueries(trpc.budget.pathFilter())]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const micros = toMicros(amount);
    const next: Record<string, string> = {};
    const chosen = budgetId || budgets[0]?.id || "";
    if (micros === null || micros === "0") next.amount = t("amountError");
    if (!until || new Date(`${until}T23:59:59Z`) <= new Date()) next.until = t("untilError");
    if (!reason.trim()) next.reason = t("reasonError");
    setErrors(next);
    if (Object.keys(next).length > 0 || micros === null || !chosen) return;
    try {
      await ask.mutateAsync({
        orgId: org.id,
        budgetId: chosen,
        amount: micros,
        increaseUntil: new Date(`${until}T23:59:59Z`),
        reason: reason.trim(),
      });
      toast.success(t("sent"));
      setAmount("");
      setReason("");
    } catch (error) {
      toast.error(apiError(error));
    }
    await refresh();
  };

  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      toast.success(done);
    } catch (error) {
      toast.error(apiError(error));
    }
    await refresh();
  };

  const described = (name: string) => (errors[name] ? { "aria-invalid": true as const, "aria-describedby": `${id}-${name}-error` } : {});
  const error = (name: string) =>
    errors[name] ? (
      <p id={`${id}-${name}-error`} className="text-sm text-destructive">
        {errors[name]}
      </p>
    ) : null;
  const items = list.data?.items ?? [];
  const nameOf = (bid: string) => budgets.find((b) => b.id === bid)?.name ?? bid;

  return (
    <div className="grid gap-4">
      {budgets.length > 0 ? (
        <form onSubmit={submit} className="grid gap-3 sm:grid-cols-2" noValidate aria-label={t("ask")}>
          <div className="grid gap-1">
            <Label htmlFor={`${id}-budget`}>{t("budget")}</Label>
            <select
              id={`${id}-budget`}
              className={inputClass}
              value={budgetId || budgets[0]?.id}
              onChange={(e) => setBudgetId(e.target.value)}
            >
              {budgets.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </div>
          <div className="grid gap-1">
            <Label htmlFor={`${id}-amount`}>{t("amount")}</Label>
            <Input
              id={`${id}-amount`}
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              {...described("amount")}
            />
            {error("amount")}
          </div>
          <div className="grid gap-1">
            <Label htmlFor={`${id}-until`}>{t("until")}</Label>
            <Input id={`${id}-until`} type="date" value={until} onChange={(e) => setUntil(e.target.value)} {...described("until")} />
            {error("until")}
          </div>
          <div className="grid gap-1 sm:col-span-2">
            <Label htmlFor={`${id}-reason`}>{t("reason")}</Label>
            <Textarea
              id={`${id}-reason`}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={500}
              {...described("reason")}
            />
            {error("reason")}
          </div>
          <div>
            <Button type="submit" disabled={ask.isPending}>
              {t("submit")}
            </Button>
          </div>
        </form>
      ) : null}
      {items.length === 0 ? <p className="text-sm text-muted-foreground">{t("none")}</p> : null}
      <ul className="grid gap-2">
        {items.map((r) => (
          <li key={r.id} className="grid gap-2 rounded-md border border-border p-3" data-testid="increase-request">
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium">
                {t("requestOf", {
                  amount: formatMoney(r.amount, currency, locale),
                  name: nameOf(r.budgetId),
                  until: format.dateTime(new Date(r.increaseUntil), { dateStyle: "medium" }),
                })}
              </span>
              <Badge variant={r.status === "approved" ? "success" : r.status === "denied" ? "destructive" : "neutral"}>
                {t(`status.${r.status}`)}
              </Badge>
            </div>
            <p className="text-sm">{r.reason}</p>
            {r.requestedBy ? <p className="text-xs text-muted-foreground">{t("by", { name: r.requestedBy.name })}</p> : null}
            {r.decisionNote ? <p className="text-sm text-muted-foreground">{r.decisionNote}</p> : null}
            {r.status === "pending" ? (
              <div className="flex flex-wrap items-end gap-2">
                {/* The requester never decides their own request (the API refuses it: reason SELF). */}
                {canDecide && r.requestedBy?.userId !== userId ? (
                  <>
                    <div className="grid gap-1">
                      <Label htmlFor={`${id}-note-${r.id}`}>{t("note")}</Label>
                      <Input
                        id={`${id}-note-${r.id}`}
                        value={notes[r.id] ?? ""}
                        onChange={(e) => setNotes((n) => ({ ...n, [r.id]: e.target.value }))}
                      />
                    </div>
                    <Button
                      onClick={() =>
                        act(
                          () => decide.mutateAsync({ orgId: org.id, requestId: r.id, approve: true, note: notes[r.id] || null }),
                          t("decided"),
                        )
                      }
                    >
                      {t("approve")}
                    </Button>
                    <Button
                      variant="destructive"
                      onClick={() =>
                        act(
                          () => decide.mutateAsync({ orgId: org.id, requestId: r.id, approve: false, note: notes[r.id] || null }),
                          t("decided"),
                        )
                      }
                    >
                      {t("deny")}
                    </Button>
                  </>
                ) : null}
                {r.requestedBy?.userId === userId ? (
                  <Button
                    variant="secondary"
                    onClick={() => act(() => cancel.mutateAsync({ orgId: org.id, requestId: r.id }), t("decided"))}
                  >
                    {t("cancel")}
                  </Button>
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
