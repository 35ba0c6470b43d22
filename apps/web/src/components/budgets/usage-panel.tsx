"use client";

import {
  Bar,
  BarChart,
  Button,
  Card,
  CardContent,
  CardHeader,
  CardTitle,
  CartesianGrid,
  Chart,
  ChartTooltip,
  chartColors,
  Input,
  inputClass,
  Label,
  XAxis,
  YAxis,
} from "@aihub/ui";
import { useQuery } from "@tanstack/react-query";
import { DownloadIcon } from "lucide-react";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { useId, useMemo } from "react";
import { useApiError } from "@/components/form/use-api-error";
import { useOrg } from "@/components/orgs/org-context";
import { ErrorBlock, LoadingBlock } from "@/components/orgs/ui";
import { localDay } from "@/lib/local-day";
import { formatMoney, MICROS } from "@/lib/money";
import { flattenTree } from "@/lib/org-access";
import { useTRPC } from "@/trpc/react";
import { CostBreakdown } from "./cost-breakdown";
import { toUsageQuery, USAGE_GROUPS, usageExportHref, usageFilterParsers } from "./usage-filters";

/** Usage explorer: range, grouping and filters in the URL; cost per day, the breakdown and its CSV. */
export function UsagePanel() {
  const t = useTranslations("Usage");
  const format = useFormatter();
  const locale = useLocale();
  const { org, can } = useOrg();
  const trpc = useTRPC();
  const apiError = useApiError();
  const id = useId();
  const [values, setValues] = useQueryStates(usageFilterParsers, { history: "replace" });
  // Days are the organization's local days; the default range waits for its zone.
  const details = useQuery(trpc.organization.get.queryOptions({ orgId: org.id }));
  const today = localDay(details.data?.timezone ?? "UTC");
  const query = toUsageQuery(values, today);
  const { by, ...range } = query;

  const summary = useQuery({ ...trpc.usage.summary.queryOptions({ orgId: org.id, ...range }), enabled: !details.isPending });
  const breakdown = useQuery({ ...trpc.usage.breakdown.queryOptions({ orgId: org.id, ...query }), enabled: !details.isPending });
  const teams = useQuery({ ...trpc.team.list.queryOptions({ orgId: org.id }), enabled: can("team:read") });
  const members = useQuery({ ...trpc.member.list.queryOptions({ orgId: org.id, limit: 100 }), enabled: can("member:read") });
  const keys = useQuery({ ...trpc.apiKey.list.queryOptions({ orgId: org.id, limit: 100 }), enabled: can("api_key:read") });
  const teamOptions = useMemo(
    () => flattenTree(teams.data ?? []).map(({ node, depth }) => ({ id: node.id, name: `${"— ".repeat(depth)}${node.name}` })),
    [teams.data],
  );

  const select = (name: "team" | "member" | "key", label: string, options: { id: string; name: string }[]) => (
    <div className="grid gap-1">
      <Label htmlFor={`${id}-${name}`}>{label}</Label>
      <select
        id={`${id}-${name}`}
        className={inputClass}
        value={values[name]}
        onChange={(e) => setValues({ [name]: e.target.value || null })}
      >
        <option value="">{t("any")}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );

  const currency = summary.data?.currency ?? breakdown.data?.currency ?? "USD";
  const days = summary.data?.days ?? [];
  const totals = summary.data?.totals;

  return (
    <div className="grid gap-6" data-testid="usage-panel">
      <div className="grid gap-1">
        <h2 className="text-lg font-semibold">{t("title")}</h2>
        <p className="text-sm text-muted-foreground">{t("description")}</p>
      </div>
      <form className="grid gap-3 sm:grid-cols-3 lg:grid-cols-4" onSubmit={(e) => e.preventDefault()} aria-label={t("title")}>
        <div className="grid gap-1">
          <Label htmlFor={`${id}-from`}>{t("from")}</Label>
          <Input id={`${id}-from`} type="date" value={query.from} onChange={(e) => setValues({ from: e.target.value || null })} />
        </div>
        <div className="grid gap-1">
          <Label htmlFor={`${id}-to`}>{t("to")}</Label>
          <Input id={`${id}-to`} type="date" value={query.to} onChange={(e) => setValues({ to: e.target.value || null })} />
        </div>
        <div className="grid gap-1">
          <Label htmlFor={`${id}-by`}>{t("groupBy")}</Label>
          <select
            id={`${id}-by`}
            className={inputClass}
            value={by}
            onChange={(e) => setValues({ by: e.target.value as typeof by })}
            data-testid="usage-group-by"
          >
            {USAGE_GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(`group.${g}`)}
              </option>
            ))}
          </select>
        </div>
        {can("team:read") ? select("team", t("team"), teamOptions) : null}
        {can("member:read")
          ? select(
              "member",
              t("member"),
              (members.data?.items ?? []).map((m) => ({ id: m.id, name: m.user.name ?? m.user.email })),
            )
          : null}
        {can("api_key:read")
          ? select(
              "key",
              t("apiKey"),
              (keys.data?.items ?? []).map((k) => ({ id: k.id, name: k.name })),
            )
          : null}
        <div className="grid gap-1">
          <Label htmlFor={`${id}-model`}>{t("model")}</Label>
          <Input id={`${id}-model`} value={values.model} onChange={(e) => setValues({ model: e.target.value || null })} />
        </div>
      </form>

      <Card>
        <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
          <CardTitle>{t("chart.label")}</CardTitle>
          {totals ? (
            <p className="text-sm tabular-nums text-muted-foreground" data-testid="usage-totals">
              {t("totals", {
                requests: format.number(totals.requests),
                tokens: format.number(totals.inputTokens + totals.outputTokens),
                cost: formatMoney(totals.cost, currency, locale),
              })}
            </p>
          ) : null}
        </CardHeader>
        <CardContent>
          {summary.isPending ? (
            <LoadingBlock testId="usage-loading" />
          ) : summary.isError ? (
            <ErrorBlock message={apiError(summary.error)} onRetry={() => summary.refetch()} />
          ) : (
            <Chart
              label={t("chart.label")}
              summary={t("chart.summary", {
                cost: formatMoney(summary.data.totals.cost, currency, locale),
                days: days.length,
                requests: format.number(summary.data.totals.requests),
              })}
            >
              <BarChart
                accessibilityLayer={false}
                data={days.map((d) => ({ day: d.day.slice(5), cost: Number(BigInt(d.cost)) / Number(MICROS) }))}
              >
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                <XAxis dataKey="day" stroke="var(--muted-foreground)" />
                <YAxis stroke="var(--muted-foreground)" width={64} />
                <ChartTooltip />
                <Bar dataKey="cost" name={t("breakdown.cost")} fill={chartColors[0]} isAnimationActive={false} />
              </BarChart>
            </Chart>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
          <CardTitle>{t(`group.${by}`)}</CardTitle>
          <Button asChild variant="secondary" size="sm">
            <a href={usageExportHref(org.id, query)} download data-testid="usage-export">
              <DownloadIcon aria-hidden="true" />
              {t("export")}
            </a>
          </Button>
        </CardHeader>
        <CardContent>
          {breakdown.isPending ? (
            <LoadingBlock testId="breakdown-loading" />
          ) : breakdown.isError ? (
            <ErrorBlock message={apiError(breakdown.error)} onRetry={() => breakdown.refetch()} />
          ) : (
            <CostBreakdown
              currency={breakdown.data.currency}
              by={breakdown.data.by}
              items={breakdown.data.items}
              totals={breakdown.data.totals}
            />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
