"use client";

import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  type RowData,
  type SortingState,
  useReactTable,
  type VisibilityState,
} from "@tanstack/react-table";
import { ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon, Columns3Icon } from "lucide-react";
import { parseAsArrayOf, parseAsInteger, parseAsString, useQueryStates } from "nuqs";
import type * as React from "react";
import { cn } from "../lib/cn";
import { Button } from "./button";
import { DropdownMenu, DropdownMenuCheckboxItem, DropdownMenuContent, DropdownMenuLabel, DropdownMenuTrigger } from "./dropdown-menu";
import { Skeleton } from "./skeleton";

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData extends RowData, TValue> {
    /** The column's name in the visibility menu (headers may be elements). */
    label?: string;
    /** Hidden on narrow screens. */
    optional?: boolean;
    className?: string;
  }
}

export interface DataTableLabels {
  loading: string;
  previous: string;
  next: string;
  /** "Page 2 of 5" */
  page: (page: number, pages: number) => string;
  columns: string;
  sortBy: (column: string) => string;
}

export interface DataTableProps<TData> {
  columns: ColumnDef<TData, unknown>[];
  data: readonly TData[];
  labels: DataTableLabels;
  /** Accessible name of the table. */
  caption: string;
  getRowId?: (row: TData) => string;
  loading?: boolean;
  /** Shown instead of the table when there are no rows (and not loading). */
  empty?: React.ReactNode;
  pageSize?: number;
  /**
   * Prefix of this table's URL parameters (`<prefix>sort=name.asc`, `<prefix>page=2`,
   * `<prefix>hide=team,creator`), so a view can be shared and survives a reload.
   */
  urlPrefix?: string;
  rowTestId?: string;
  /** Extra controls left of the column menu (filters, a create button). */
  toolbar?: React.ReactNode;
  rowProps?: (row: TData) => React.ComponentProps<"tr"> & Record<`data-${string}`, string | undefined>;
}

/** "name.desc" ↔ [{ id: "name", desc: true }] */
const parseSort = (value: string): SortingState => {
  const [id, direction] = value.split(".");
  return id ? [{ id, desc: direction === "desc" }] : [];
};

/**
 * A table on @tanstack/react-table: sortable headers, pages, a column menu, loading and empty
 * states; sort, page and hidden columns live in the URL (nuqs).
 */
export function DataTable<TData>({
  columns,
  data,
  labels,
  caption,
  getRowId,
  loading = false,
  empty,
  pageSize = 10,
  urlPrefix = "",
  rowTestId,
  toolbar,
  rowProps,
}: DataTableProps<TData>) {
  const [url, setUrl] = useQueryStates(
    {
      sort: parseAsString.withDefault(""),
      page: parseAsInteger.withDefault(1),
      hide: parseAsArrayOf(parseAsString).withDefault([]),
    },
    { urlKeys: { sort: `${urlPrefix}sort`, page: `${urlPrefix}page`, hide: `${urlPrefix}hide` }, history: "replace", scroll: false },
  );
  const sorting = parseSort(url.sort);
  const columnVisibility: VisibilityState = Object.fromEntries(url.hide.map((id) => [id, false]));
  const pageCount = Math.max(1, Math.ceil(data.length / pageSize));
  // A page beyond the end (rows went away, or an old link) shows the last one.
  const pageIndex = Math.min(Math.max(url.page, 1), pageCount) - 1;

  const table = useReactTable({
    data: data as TData[],
    columns,
    getRowId,
    state: { sorting, columnVisibility, pagination: { pageIndex, pageSize } },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const [first] = next;
      void setUrl({ sort: first ? `${first.id}.${first.desc ? "desc" : "asc"}` : null, page: null });
    },
    onColumnVisibilityChange: (updater) => {
      const next = typeof updater === "function" ? updater(columnVisibility) : updater;
      const hidden = Object.entries(next)
        .filter(([, visible]) => !visible)
        .map(([id]) => id);
      void setUrl({ hide: hidden.length ? hidden : null });
    },
    onPaginationChange: (updater) => {
      const next = typeof updater === "function" ? updater({ pageIndex, pageSize }) : updater;
      void setUrl({ page: next.pageIndex === 0 ? null : next.pageIndex + 1 });
    },
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    enableSortingRemoval: false,
    // The page lives in the URL; a page past the end is clamped above instead of reset here.
    autoResetPageIndex: false,
  });

  const hideable = table.getAllLeafColumns().filter((column) => column.getCanHide());
  const showEmpty = !loading && data.length === 0 && empty;

  // min-w-0: a wide table scrolls inside its frame instead of widening the page.
  return (
    <div className="grid min-w-0 gap-3">
      <div className="flex flex-wrap items-center justify-end gap-2">
        {toolbar}
        {hideable.length ? (
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button variant="secondary" size="sm" data-testid="table-columns">
                <Columns3Icon aria-hidden="true" />
                {labels.columns}
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end">
              <DropdownMenuLabel>{labels.columns}</DropdownMenuLabel>
              {hideable.map((column) => (
                <DropdownMenuCheckboxItem
                  key={column.id}
                  checked={column.getIsVisible()}
                  onCheckedChange={(value) => column.toggleVisibility(Boolean(value))}
                  onSelect={(event) => event.preventDefault()}
                >
                  {column.columnDef.meta?.label ?? column.id}
                </DropdownMenuCheckboxItem>
              ))}
            </DropdownMenuContent>
          </DropdownMenu>
        ) : null}
      </div>
      {showEmpty ? (
        empty
      ) : (
        // relative: visually hidden labels in scrolled-away cells stay inside the frame.
        <div className="relative overflow-x-auto rounded-md border border-border bg-card">
          <table className="w-full border-collapse text-sm" aria-busy={loading || undefined}>
            <caption className="sr-only">{caption}</caption>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((header) => {
                    const meta = header.column.columnDef.meta;
                    const sorted = header.column.getIsSorted();
                    const label = meta?.label ?? header.column.id;
                    return (
                      <th
                        key={header.id}
                        scope="col"
                        aria-sort={sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}
                        className={cn(
                          "border-b border-border p-3 text-left align-top text-[13px] font-semibold whitespace-nowrap text-muted-foreground",
                          meta?.optional && "max-sm:hidden",
                          meta?.className,
                        )}
                      >
                        {header.isPlaceholder ? null : header.column.getCanSort() ? (
                          <button
                            type="button"
                            className="-mx-1 inline-flex cursor-pointer items-center gap-1 rounded-sm px-1 hover:text-foreground"
                            onClick={header.column.getToggleSortingHandler()}
                            title={labels.sortBy(label)}
                            data-testid={`sort-${header.column.id}`}
                          >
                            {flexRender(header.column.columnDef.header, header.getContext())}
                            {sorted === "asc" ? (
                              <ArrowUpIcon className="size-3.5" aria-hidden="true" />
                            ) : sorted === "desc" ? (
                              <ArrowDownIcon className="size-3.5" aria-hidden="true" />
                            ) : (
                              <ArrowUpDownIcon className="size-3.5 opacity-50" aria-hidden="true" />
                            )}
                          </button>
                        ) : (
                          flexRender(header.column.columnDef.header, header.getContext())
                        )}
                      </th>
                    );
                  })}
                </tr>
              ))}
            </thead>
            <tbody>
              {loading ? (
                <tr>
                  <td colSpan={table.getVisibleLeafColumns().length} className="p-3">
                    <div role="status" aria-live="polite" className="grid gap-2" data-testid="table-loading">
                      <span className="sr-only">{labels.loading}</span>
                      <Skeleton />
                      <Skeleton />
                      <Skeleton />
                    </div>
                  </td>
                </tr>
              ) : (
                table.getRowModel().rows.map((row) => (
                  <tr key={row.id} data-testid={rowTestId} {...rowProps?.(row.original)}>
                    {row.getVisibleCells().map((cell) => {
                      const meta = cell.column.columnDef.meta;
                      return (
                        <td
                          key={cell.id}
                          className={cn("border-b border-border p-3 align-top", meta?.optional && "max-sm:hidden", meta?.className)}
                        >
                          {flexRender(cell.column.columnDef.cell, cell.getContext())}
                        </td>
                      );
                    })}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
      {!loading && pageCount > 1 ? (
        <nav className="flex items-center justify-end gap-2 text-sm" aria-label={labels.page(pageIndex + 1, pageCount)}>
          <span className="text-muted-foreground" data-testid="table-page">
            {labels.page(pageIndex + 1, pageCount)}
          </span>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => table.previousPage()}
            disabled={!table.getCanPreviousPage()}
            data-testid="table-previous"
          >
            {labels.previous}
          </Button>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => table.nextPage()}
            disabled={!table.getCanNextPage()}
            data-testid="table-next"
          >
            {labels.next}
          </Button>
        </nav>
      ) : null}
    </div>
  );
}

export type { ColumnDef } from "@tanstack/react-table";
