"use client";

import type { RouterOutputs } from "@aihub/api";
import { Badge, type ColumnDef, Truncate } from "@aihub/ui";
import type { useFormatter, useTranslations } from "next-intl";
import type { ReactNode } from "react";

export type ApiKeyRow = RouterOutputs["apiKey"]["list"]["items"][number];

const STATUS_VARIANT = { active: "success", revoked: "destructive", expired: "warning" } as const;

interface ColumnDeps {
  t: ReturnType<typeof useTranslations<"ApiKeys">>;
  format: ReturnType<typeof useFormatter>;
  /** The actions cell (absent without api_key:write). */
  actions?: (row: ApiKeyRow) => ReactNode;
}

/** The keys table's columns: everything about a key except the key itself. */
export function apiKeyColumns({ t, format, actions }: ColumnDeps): ColumnDef<ApiKeyRow, unknown>[] {
  const dateTime = (date: Date | null, empty: string) =>
    date ? (
      <time className="whitespace-nowrap" dateTime={date.toISOString()}>
        {format.dateTime(date, { dateStyle: "medium", timeStyle: "short" })}
      </time>
    ) : (
      empty
    );
  const columns: ColumnDef<ApiKeyRow, unknown>[] = [
    {
      id: "name",
      accessorKey: "name",
      header: t("columns.name"),
      meta: { label: t("columns.name") },
      enableHiding: false,
      cell: ({ row }) => <Truncate className="font-semibold">{row.original.name}</Truncate>,
    },
    {
      id: "prefix",
      accessorKey: "prefix",
      header: t("columns.prefix"),
      meta: { label: t("columns.prefix") },
      cell: ({ row }) => <code className="whitespace-nowrap" data-testid="api-key-prefix">{`${row.original.prefix}…`}</code>,
    },
    {
      id: "scopes",
      accessorFn: (row) => row.scopes.length,
      header: t("columns.scopes"),
      meta: { label: t("columns.scopes"), optional: true },
      cell: ({ row }) => (
        <ul className="flex max-w-64 flex-wrap gap-1">
          {row.original.scopes.map((scope) => (
            <li key={scope}>
              <Badge variant="outline" className="font-mono font-normal tracking-normal">
                {scope}
              </Badge>
            </li>
          ))}
        </ul>
      ),
    },
    {
      id: "team",
      accessorFn: (row) => row.team?.name ?? "",
      header: t("columns.team"),
      meta: { label: t("columns.team"), optional: true },
      cell: ({ row }) =>
        row.original.team ? <Truncate>{row.original.team.name}</Truncate> : <span className="text-muted-foreground">{t("orgWide")}</span>,
    },
    {
      id: "rateLimit",
      accessorKey: "rateLimitPerMinute",
      header: t("columns.rateLimit"),
      meta: { label: t("columns.rateLimit"), optional: true, className: "text-right" },
      cell: ({ row }) => format.number(row.original.rateLimitPerMinute),
    },
    {
      id: "quota",
      accessorKey: "monthlyQuota",
      header: t("columns.quota"),
      meta: { label: t("columns.quota"), optional: true, className: "text-right" },
      cell: ({ row }) => format.number(row.original.monthlyQuota),
    },
    {
      id: "lastUsed",
      accessorFn: (row) => row.lastUsedAt?.getTime() ?? 0,
      header: t("columns.lastUsed"),
      meta: { label: t("columns.lastUsed") },
      cell: ({ row }) => <span data-testid="api-key-last-used">{dateTime(row.original.lastUsedAt, t("never"))}</span>,
    },
    {
      id: "expires",
      accessorFn: (row) => row.expiresAt?.getTime() ?? Number.MAX_SAFE_INTEGER,
      header: t("columns.expires"),
      meta: { label: t("columns.expires"), optional: true },
      cell: ({ row }) => dateTime(row.original.expiresAt, t("noExpiry")),
    },
    {
      id: "status",
      accessorKey: "status",
      header: t("columns.status"),
      meta: { label: t("columns.status") },
      cell: ({ row }) => (
        <Badge variant={STATUS_VARIANT[row.original.status]} data-testid="api-key-status" data-status={row.original.status}>
          {t(`status.${row.original.status}`)}
        </Badge>
      ),
    },
    {
      id: "creator",
      accessorFn: (row) => row.creator?.name ?? row.creator?.email ?? "",
      header: t("columns.creator"),
      meta: { label: t("columns.creator"), optional: true },
      cell: ({ row }) => {
        const creator = row.original.creator;
        return creator ? (
          <Truncate>{creator.name ?? creator.email}</Truncate>
        ) : (
          <span className="text-muted-foreground">{t("formerMember")}</span>
        );
      },
    },
  ];
  if (actions) {
    columns.push({
      id: "actions",
      header: () => <span className="sr-only">{t("columns.actions")}</span>,
      meta: { label: t("columns.actions") },
      enableSorting: false,
      enableHiding: false,
      cell: ({ row }) => (row.original.status === "active" ? actions(row.original) : null),
    });
  }
  return columns;
}
