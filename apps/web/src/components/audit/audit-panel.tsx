"use client";

import type { RouterInputs, RouterOutputs } from "@aihub/api";
import {
  Badge,
  Button,
  type ColumnDef,
  DataTable,
  EmptyState,
  Input,
  Label,
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
  Truncate,
} from "@aihub/ui";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { ScrollTextIcon, ShieldAlertIcon, ShieldCheckIcon } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { useMemo, useState } from "react";
import { useApiError } from "@/components/form/use-api-error";
import { useOrg } from "@/components/orgs/org-context";
import { ErrorBlock } from "@/components/orgs/ui";
import { useTRPC } from "@/trpc/react";
import { AuditEventSheet } from "./audit-event-sheet";
import { AuditExport } from "./audit-export";
import { auditFilterParsers, toApiFilters } from "./audit-filters";

type AuditRow = RouterOutputs["audit"]["list"]["items"][number];
type ListInput = RouterInputs["audit"]["list"];

const PAGE_SIZE = 50;
/** Select items cannot have an empty value: this one stands for "no filter". */
const ANY = "__any";

/** The organization's audit log: filters in the URL, the events, one event's diff, the chain's state, export. */
export function AuditPanel({ actions, targetTypes }: { actions: string[]; targetTypes: string[] }) {
  const t = useTranslations("Audit");
  const format = useFormatter();
  const { org } = useOrg();
  const trpc = useTRPC();
  const apiError = useApiError();
  const [values, setValues] = useQueryStates(auditFilterParsers, { history: "replace" });
  const filters = toApiFilters(values, actions, targetTypes);
  const [openId, setOpenId] = useState<string | null>(null);

  const input = { orgId: org.id, limit: PAGE_SIZE, ...filters } as ListInput;
  const list = useInfiniteQuery(trpc.audit.list.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor }));
  const verify = useQuery(trpc.audit.verify.queryOptions({ orgId: org.id }));
  const members = useQuery(trpc.member.list.queryOptions({ orgId: org.id, limit: 100 }));

  // Actors are ids in the log: name the members among them.
  const actorNames = useMemo(() => {
    const names = new Map<string, string>();
    for (const member of members.data?.items ?? []) names.set(member.user.id, member.user.name ?? member.user.email);
    return names;
  }, [members.data]);
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);

  const columns = useMemo<ColumnDef<AuditRow, unknown>[]>(
    () => [
      {
        id: "createdAt",
        accessorFn: (row) => row.createdAt.getTime(),
        header: t("columns.time"),
        meta: { label: t("columns.time") },
        cell: ({ row }) => (
          <time className="whitespace-nowrap" dateTime={row.original.createdAt.toISOString()}>
            {format.dateTime(row.original.createdAt, { dateStyle: "medium", timeStyle: "medium" })}
          </time>
        ),
      },
      {
        id: "actor",
        accessorFn: (row) => row.actorId ?? "",
        header: t("columns.actor"),
        meta: { label: t("columns.actor") },
        cell: ({ row }) => {
          const { actorType, actorId } = row.original;
          if (actorType === "system" || !actorId) return <span className="text-muted-foreground">{t("system")}</span>;
          const name = actorNames.get(actorId);
          return <Truncate>{name ?? (actorType === "api_key" ? t("apiKeyActor", { id: actorId.slice(0, 8) }) : actorId)}</Truncate>;
        },
      },
      {
        id: "action",
        accessorKey: "action",
        header: t("columns.action"),
        meta: { label: t("columns.action") },
        cell: ({ row }) => (
          <code className="whitespace-nowrap" data-testid="audit-action">
            {row.original.action}
          </code>
        ),
      },
      {
        id: "target",
        accessorFn: (row) => `${row.targetType ?? ""}:${row.targetId ?? ""}`,
        header: t("columns.target"),
        meta: { label: t("columns.target"), optional: true },
        cell: ({ row }) =>
          row.original.targetType ? (
            <span className="text-sm">
              {row.original.targetType}
              {row.original.targetId ? <code className="ml-1 text-muted-foreground">{row.original.targetId.slice(0, 8)}</code> : null}
            </span>
          ) : null,
      },
      {
        id: "seq",
        accessorFn: (row) => Number(row.seq),
        header: t("columns.seq"),
        meta: { label: t("columns.seq"), optional: true, className: "text-right" },
        cell: ({ row }) => row.original.seq,
      },
      {
        id: "details",
        header: () => <span className="sr-only">{t("columns.details")}</span>,
        meta: { label: t("columns.details") },
        enableSorting: false,
        enableHiding: false,
        cell: ({ row }) => (
          <Button
            variant="secondary"
            size="sm"
            onClick={() => setOpenId(row.original.id)}
            aria-label={t("viewEvent", { action: row.original.action, seq: row.original.seq })}
            data-testid="audit-view"
          >
            {t("view")}
          </Button>
        ),
      },
    ],
    [t, format, actorNames],
  );

  const set = (key: keyof typeof values, value: string) => setValues({ [key]: value === ANY ? "" : value });
  const anyFilter = Object.values(values).some(Boolean);

  return (
    <section className="grid min-w-0 gap-4" aria-labelledby="audit-title">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="grid gap-1">
          <h2 className="text-lg font-semibold" id="audit-title">
            {t("title")}
          </h2>
          <p className="text-sm text-muted-foreground">{t("intro")}</p>
        </div>
        <ChainStatus query={verify} />
      </div>

      <fieldset className="grid gap-3 rounded-md border border-border p-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="audit-filters">
        <legend className="px-1 text-sm font-semibold">{t("filters")}</legend>
        <div className="grid gap-1">
          <Label htmlFor="audit-action">{t("filter.action")}</Label>
          <Select value={values.action || ANY} onValueChange={(value) => set("action", value)}>
            <SelectTrigger id="audit-action" data-testid="audit-filter-action">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ANY}>{t("filter.anyAction")}</SelectItem>
              {actions.map((action) => (
                <SelectItem key={action} value={action}>
                  {action}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="grid gap-1">
          <Label htmlFor="audit-actor">{t("filter.actor")}</Label>
          <Select value={values.actor || ANY} onValueChange={(value) => set("actor", value)}>
            <SelectTrigger id="audit-actor" data-testid="audit-filter-actor">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ANY}>{t("filter.anyActor")}</SelectItem>
              {(members.data?.items ?? []).map((member) => (
                <SelectItem key={member.user.id} value={member.user.id}>
                  {member.user.name ? `${member.user.name} (${member.user.email})` : member.user.email}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="grid gap-1">
          <Label htmlFor="audit-target-type">{t("filter.targetType")}</Label>
          <Select value={values.targetType || ANY} onValueChange={(value) => set("targetType", value)}>
            <SelectTrigger id="audit-target-type" data-testid="audit-filter-target-type">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ANY}>{t("filter.anyTarget")}</SelectItem>
              {targetTypes.map((type) => (
                <SelectItem key={type} value={type}>
                  {type}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="grid gap-1">
          <Label htmlFor="audit-target">{t("filter.target")}</Label>
          <Input
            id="audit-target"
            defaultValue={values.target}
            placeholder={t("filter.targetPlaceholder")}
            data-testid="audit-filter-target"
            onBlur={(event) => set("target", event.target.value.trim())}
            onKeyDown={(event) => {
              if (event.key === "Enter") set("target", event.currentTarget.value.trim());
            }}
          />
        </div>
        <div className="grid gap-1">
          <Label htmlFor="audit-from">{t("filter.from")}</Label>
          <Input
            id="audit-from"
            type="date"
            value={values.from}
            max={values.to || undefined}
            onChange={(e) => set("from", e.target.value)}
          />
        </div>
        <div className="grid gap-1">
          <Label htmlFor="audit-to">{t("filter.to")}</Label>
          <Input id="audit-to" type="date" value={values.to} min={values.from || undefined} onChange={(e) => set("to", e.target.value)} />
        </div>
        <div className="flex flex-wrap items-end gap-2 sm:col-span-2 lg:col-span-3">
          <Button
            variant="secondary"
            size="sm"
            disabled={!anyFilter}
            onClick={() => setValues({ action: "", actor: "", targetType: "", target: "", from: "", to: "" })}
            data-testid="audit-filter-clear"
          >
            {t("filter.clear")}
          </Button>
          <AuditExport orgId={org.id} filters={filters} />
        </div>
      </fieldset>

      {list.isError ? (
        <ErrorBlock message={apiError(list.error)} onRetry={() => list.refetch()} testId="audit-load-error" />
      ) : (
        <DataTable
          columns={columns}
          data={rows}
          caption={t("title")}
          loading={list.isPending}
          getRowId={(row) => row.id}
          rowTestId="audit-row"
          rowProps={(row) => ({ "data-action": row.action })}
          urlPrefix="audit_"
          pageSize={PAGE_SIZE}
          labels={{
            loading: t("loading"),
            previous: t("previous"),
            next: t("next"),
            page: (page, pages) => t("page", { page, pages }),
            columns: t("columnsMenu"),
            sortBy: (column) => t("sortBy", { column }),
          }}
          empty={
            <EmptyState
              icon={<ScrollTextIcon aria-hidden="true" />}
              title={anyFilter ? t("emptyFiltered") : t("empty")}
              data-testid="audit-empty"
            />
          }
        />
      )}
      {list.hasNextPage ? (
        <div>
          <Button variant="secondary" size="sm" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? t("loading") : t("loadMore")}
          </Button>
        </div>
      ) : null}
      <AuditEventSheet orgId={org.id} eventId={openId} actorNames={actorNames} onClose={() => setOpenId(null)} />
    </section>
  );
}

function ChainStatus({ query }: { query: { data?: RouterOutputs["audit"]["verify"]; isPending: boolean; isError: boolean } }) {
  const t = useTranslations("Audit");
  if (query.isPending) return <Badge variant="outline">{t("chain.checking")}</Badge>;
  if (query.isError || !query.data) return <Badge variant="warning">{t("chain.unknown")}</Badge>;
  const { ok, events, brokenAtSeq, reason } = query.data;
  return ok ? (
    <Badge variant="success" data-testid="audit-chain" data-status="valid">
      <ShieldCheckIcon aria-hidden="true" className="size-3.5" />
      {t("chain.valid", { events })}
    </Badge>
  ) : (
    <Badge variant="destructive" data-testid="audit-chain" data-status="broken">
      <ShieldAlertIcon aria-hidden="true" className="size-3.5" />
      {brokenAtSeq ? t("chain.broken", { seq: brokenAtSeq }) : reason === "anchor_unconfirmed" ? t("chain.anchor") : t("chain.unknown")}
    </Badge>
  );
}
