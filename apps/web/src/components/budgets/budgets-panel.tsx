"use client";

import { Badge, Button, Card, CardContent, CardDescription, CardHeader, CardTitle, inputClass, Label, toast } from "@aihub/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PlusIcon } from "lucide-react";
import { useTranslations } from "next-intl";
import { useId, useMemo, useState } from "react";
import { useApiError } from "@/components/form/use-api-error";
import { useOrg } from "@/components/orgs/org-context";
import { ErrorBlock, LoadingBlock } from "@/components/orgs/ui";
import { localDay } from "@/lib/local-day";
import { flattenTree } from "@/lib/org-access";
import { useTRPC } from "@/trpc/react";
import { AlertSettings } from "./alert-settings";
import { AllocationTree } from "./allocation-tree";
import { BudgetChart } from "./budget-chart";
import { BudgetDialog, type BudgetInput } from "./budget-dialog";
import { IncreaseRequests } from "./increase-requests";
import { SpendBar } from "./spend-bar";

/** The org's today as the period sees it: its local day, clamped into the period's month. */
function todayIn(periodStart: string, timeZone: string): string {
  const now = localDay(timeZone);
  if (now.slice(0, 7) === periodStart.slice(0, 7)) return now;
  const [y, m] = [Number(periodStart.slice(0, 4)), Number(periodStart.slice(5, 7))];
  return now < periodStart ? periodStart : `${periodStart.slice(0, 8)}${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0")}`;
}

/** Budgets: spend against limits, the org's chart and forecast, settings, allocation, alerts and increase requests. */
export function BudgetsPanel() {
  const t = useTranslations("Budgets");
  const alertsT = useTranslations("Budgets.alerts");
  const { org, can } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const apiError = useApiError();
  const id = useId();
  const canWrite = can("budget:write");

  const list = useQuery(trpc.budget.list.queryOptions({ orgId: org.id }));
  const details = useQuery(trpc.organization.get.queryOptions({ orgId: org.id }));
  const tree = useQuery(trpc.budget.tree.queryOptions({ orgId: org.id }));
  const channels = useQuery(trpc.alert.listChannels.queryOptions({ orgId: org.id }));
  const teams = useQuery({ ...trpc.team.list.queryOptions({ orgId: org.id }), enabled: canWrite && can("team:read") });
  const members = useQuery({ ...trpc.member.list.queryOptions({ orgId: org.id, limit: 100 }), enabled: canWrite && can("member:read") });
  const keys = useQuery({ ...trpc.apiKey.list.queryOptions({ orgId: org.id, limit: 100 }), enabled: canWrite && can("api_key:read") });
  const set = useMutation(trpc.budget.set.mutationOptions());
  const createChannel = useMutation(trpc.alert.createChannel.mutationOptions());
  const testChannel = useMutation(trpc.alert.testChannel.mutationOptions());

  const budgets = list.data?.items ?? [];
  const orgBudget = budgets.find((b) => b.scope === "organization");
  const periodStart = budgets[0]?.periodStart ?? tree.data?.periodStart ?? null;
  const today = periodStart && !details.isPending ? todayIn(periodStart, details.data?.timezone ?? "UTC") : null;
  const summary = useQuery({
    ...trpc.usage.summary.queryOptions({ orgId: org.id, from: periodStart ?? "", to: today ?? "" }),
    enabled: Boolean(orgBudget && periodStart && today && can("usage:read")),
  });

  const [dialog, setDialog] = useState<{ open: boolean; initial: Omit<BudgetInput, "allowAboveParent"> | null }>({
    open: false,
    initial: null,
  });
  const [alertBudgetId, setAlertBudgetId] = useState<string>("");

  const names = useMemo(() => new Map((tree.data?.nodes ?? []).map((n) => [n.budgetId, n.name])), [tree.data]);
  const nameOf = (b: { id: string; scope: "organization" | "team" | "member" | "api_key" }) =>
    b.scope === "organization" ? org.name : (names.get(b.id) ?? t(`scope.${b.scope}`));
  const targets = useMemo(
    () => ({
      team: flattenTree(teams.data ?? []).map(({ node, depth }) => ({ id: node.id, name: `${"— ".repeat(depth)}${node.name}` })),
      member: (members.data?.items ?? []).map((m) => ({ id: m.id, name: m.user.name ?? m.user.email })),
      api_key: (keys.data?.items ?? []).map((k) => ({ id: k.id, name: k.name })),
    }),
    [teams.data, members.data, keys.data],
  );

  const refresh = () => queryClient.invalidateQueries(trpc.budget.pathFilter());
  const save = async (input: BudgetInput) => {
    try {
      await set.mutateAsync({ orgId: org.id, ...input });
      toast.success(t("dialog.saved"));
      await refresh();
      return true;
    } catch (error) {
      toast.error(apiError(error));
      return false;
    }
  };

  if (list.isPending) return <LoadingBlock testId="budgets-loading" />;
  if (list.isError) return <ErrorBlock message={apiError(list.error)} onRetry={() => list.refetch()} />;

  const currency = orgBudget?.currency ?? budgets[0]?.currency ?? tree.data?.currency ?? "USD";
  const alertBudget = budgets.find((b) => b.id === alertBudgetId) ?? orgBudget ?? budgets[0];
  const aboveParent = new Set((tree.data?.warnings ?? []).filter((w) => w.kind === "CHILD_ABOVE_PARENT").map((w) => w.budgetId));

  return (
    <div className="grid gap-6" data-testid="budgets-panel">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1">
          <h2 className="text-lg font-semibold">{t("title")}</h2>
          <p className="text-sm text-muted-foreground">{t("description")}</p>
          {periodStart ? <p className="text-xs text-muted-foreground">{t("period", { start: periodStart })}</p> : null}
        </div>
        {canWrite ? (
          <Button onClick={() => setDialog({ open: true, initial: null })} data-testid="set-budget">
            <PlusIcon aria-hidden="true" />
            {t("setBudget")}
          </Button>
        ) : null}
      </div>

      <Card>
        <CardHeader>
          <CardTitle>{t("orgChart")}</CardTitle>
        </CardHeader>
        <CardContent>
          {orgBudget && periodStart && today ? (
            <BudgetChart
              currency={currency}
              limit={orgBudget.effectiveLimit}
              periodStart={periodStart}
              today={today}
              days={summary.data?.days ?? []}
            />
          ) : (
            <p className="text-sm text-muted-foreground">{t("noOrgBudget")}</p>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t("overview")}</CardTitle>
        </CardHeader>
        <CardContent>
          {budgets.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t("noBudgets")}</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-sm" data-testid="budgets-table">
                <thead className="text-left">
                  <tr>
                    <th scope="col" className="px-2 py-2">
                      {t("columns.name")}
                    </th>
                    <th scope="col" className="px-2 py-2">
                      {t("columns.scope")}
                    </th>
                    <th scope="col" className="px-2 py-2">
                      {t("columns.spend")}
                    </th>
                    <th scope="col" className="px-2 py-2">
                      {t("columns.mode")}
                    </th>
                    {canWrite ? (
                      <th scope="col" className="px-2 py-2">
                        {t("columns.actions")}
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {budgets.map((b) => (
                    <tr key={b.id} className="border-t border-border" data-testid={`budget-row-${b.scope}`}>
                      <th scope="row" className="px-2 py-2 text-left font-medium">
                        {nameOf(b)}
                      </th>
                      <td className="px-2 py-2">{t(`scope.${b.scope}`)}</td>
                      <td className="px-2 py-2">
                        <SpendBar spent={b.spent} limit={b.effectiveLimit} currency={b.currency} />
                      </td>
                      <td className="px-2 py-2">
                        <Badge variant={b.status === "disabled" ? "outline" : b.hardLimit ? "info" : "neutral"}>
                          {b.status === "disabled" ? t("disabled") : b.hardLimit ? t("hard") : t("soft")}
                        </Badge>
                      </td>
                      {canWrite ? (
                        <td className="px-2 py-2">
                          <Button
                            size="sm"
                            variant="secondary"
                            aria-label={t("editOf", { name: nameOf(b) })}
                            onClick={() =>
                              setDialog({
                                open: true,
                                initial: {
                                  scope: b.scope,
                                  scopeId: b.scope === "organization" ? null : b.scopeId,
                                  periodLimit: b.periodLimit,
                                  hardLimit: b.hardLimit,
                                  alertThresholds: b.alertThresholds,
                                },
                              })
                            }
                          >
                            {t("edit")}
                          </Button>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </Card>

      {tree.data && tree.data.nodes.length > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle>{t("tree.title")}</CardTitle>
            <CardDescription>{t("tree.description")}</CardDescription>
          </CardHeader>
          <CardContent>
            <AllocationTree
              currency={tree.data.currency}
              nodes={tree.data.nodes.map((n) => (n.scope === "organization" ? { ...n, name: org.name } : n))}
              warnings={tree.data.warnings}
            />
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>{alertsT("title")}</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          {alertBudget ? (
            <div className="grid max-w-sm gap-1">
              <Label htmlFor={`${id}-alert-budget`}>{alertsT("forBudget")}</Label>
              <select
                id={`${id}-alert-budget`}
                className={inputClass}
                value={alertBudget.id}
                onChange={(e) => setAlertBudgetId(e.target.value)}
              >
                {budgets.map((b) => (
                  <option key={b.id} value={b.id}>
                    {`${nameOf(b)} (${t(`scope.${b.scope}`)})`}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <AlertSettings
            key={alertBudget?.id ?? "none"}
            thresholds={alertBudget?.alertThresholds ?? []}
            channels={channels.data?.items ?? []}
            canWrite={canWrite && Boolean(alertBudget)}
            onSave={async ({ alertThresholds }) => {
              if (!alertBudget) return;
              const ok = await save({
                scope: alertBudget.scope,
                scopeId: alertBudget.scope === "organization" ? null : alertBudget.scopeId,
                periodLimit: alertBudget.periodLimit,
                hardLimit: alertBudget.hardLimit,
                alertThresholds,
                allowAboveParent: aboveParent.has(alertBudget.id),
              });
              if (ok) toast.success(alertsT("saved"));
            }}
            onTestChannel={async (channelId) => {
              try {
                return await testChannel.mutateAsync({ orgId: org.id, channelId });
              } catch (error) {
                return { ok: false, message: apiError(error) };
              }
            }}
            onCreateChannel={async (channel) => {
              try {
                const created = await createChannel.mutateAsync({ orgId: org.id, ...channel });
                toast.success(created.secret ? alertsT("secretOnce", { secret: created.secret }) : alertsT("channelAdded"), {
                  duration: created.secret ? Number.POSITIVE_INFINITY : undefined,
                });
                await queryClient.invalidateQueries(trpc.alert.listChannels.pathFilter());
              } catch (error) {
                toast.error(apiError(error));
              }
            }}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t("increase.title")}</CardTitle>
        </CardHeader>
        <CardContent>
          <IncreaseRequests
            currency={currency}
            budgets={budgets.map((b) => ({ id: b.id, name: `${nameOf(b)} (${t(`scope.${b.scope}`)})` }))}
          />
        </CardContent>
      </Card>

      <BudgetDialog
        open={dialog.open}
        onOpenChange={(open) => setDialog((d) => ({ ...d, open }))}
        currency={currency}
        initial={dialog.initial}
        targets={targets}
        onSubmit={save}
      />
    </div>
  );
}
