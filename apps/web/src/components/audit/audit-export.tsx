"use client";

import { Button, Select, SelectContent, SelectItem, SelectTrigger, SelectValue, toast } from "@aihub/ui";
import { DownloadIcon } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { type AuditApiFilters, exportQuery } from "./audit-filters";

type Format = "csv" | "jsonl";

/**
 * Downloads the filtered log from the export route, reading the stream so the bytes received
 * show as progress (the size is not known in advance), then saves it as a file. Can be cancelled.
 */
export function AuditExport({ orgId, filters }: { orgId: string; filters: AuditApiFilters }) {
  const t = useTranslations("Audit");
  const format = useFormatter();
  const [fileFormat, setFileFormat] = useState<Format>("csv");
  const [received, setReceived] = useState<number | null>(null);
  const abort = useRef<AbortController | null>(null);

  async function run() {
    const controller = new AbortController();
    abort.current = controller;
    setReceived(0);
    try {
      const response = await fetch(`/api/orgs/${orgId}/audit/export?${exportQuery(filters, fileFormat)}`, { signal: controller.signal });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? t("exportFailed"));
      }
      const reader = response.body.getReader();
      const parts: BlobPart[] = [];
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        total += value.byteLength;
        setReceived(total);
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? `audit-log.${fileFormat}`;
      const url = URL.createObjectURL(new Blob(parts, { type: response.headers.get("content-type") ?? "text/plain" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      toast.success(t("exported", { name }));
    } catch (error) {
      if (controller.signal.aborted) toast.info(t("exportCancelled"));
      else toast.error(error instanceof Error ? error.message : t("exportFailed"));
    } finally {
      abort.current = null;
      setReceived(null);
    }
  }

  const busy = received !== null;
  return (
    <div className="flex flex-wrap items-end gap-2">
      <div className="w-28">
        <Select value={fileFormat} onValueChange={(value) => setFileFormat(value as Format)} disabled={busy}>
          <SelectTrigger aria-label={t("exportFormat")} data-testid="audit-export-format">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="csv">CSV</SelectItem>
            <SelectItem value="jsonl">JSON lines</SelectItem>
          </SelectContent>
        </Select>
      </div>
      <Button size="sm" onClick={run} disabled={busy} data-testid="audit-export">
        <DownloadIcon aria-hidden="true" />
        {busy ? t("exporting") : t("export")}
      </Button>
      {busy ? (
        <>
          <span role="status" aria-live="polite" className="text-sm text-muted-foreground" data-testid="audit-export-progress">
            {t("exportProgress", { size: format.number(received / 1024, { maximumFractionDigits: 1 }) })}
          </span>
          <Button variant="ghost" size="sm" onClick={() => abort.current?.abort()}>
            {t("exportCancel")}
          </Button>
        </>
      ) : null}
    </div>
  );
}
