"use client";

import { Badge, Sheet, SheetContent, SheetDescription, SheetTitle } from "@aihub/ui";
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useApiError } from "@/components/form/use-api-error";
import { ErrorBlock, LoadingBlock } from "@/components/orgs/ui";
import { useTRPC } from "@/trpc/react";

const KIND_VARIANT = { added: "success", removed: "destructive", changed: "warning", unchanged: "outline" } as const;

/** One event in a side panel: who, when, from where, and its before/after diff field by field. */
export function AuditEventSheet({
  orgId,
  eventId,
  actorNames,
  onClose,
}: {
  orgId: string;
  eventId: string | null;
  actorNames: Map<string, string>;
  onClose: () => void;
}) {
  const t = useTranslations("Audit");
  const format = useFormatter();
  const trpc = useTRPC();
  const apiError = useApiError();
  const event = useQuery({ ...trpc.audit.get.queryOptions({ orgId, eventId: eventId ?? "" }), enabled: eventId !== null });
  const data = event.data;

  return (
    <Sheet open={eventId !== null} onOpenChange={(open) => !open && onClose()}>
      <SheetContent closeLabel={t("close")} className="w-[36rem]" data-testid="audit-event">
        <SheetTitle className="pr-8 text-lg font-semibold">{data ? data.action : t("event")}</SheetTitle>
        <SheetDescription className="text-sm text-muted-foreground">{t("eventIntro")}</SheetDescription>
        {event.isPending ? (
          <LoadingBlock testId="audit-event-loading" />
        ) : event.isError ? (
          <ErrorBlock message={apiError(event.error)} onRetry={() => event.refetch()} testId="audit-event-error" />
        ) : data ? (
          <>
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
              <dt className="text-muted-foreground">{t("columns.time")}</dt>
              <dd>{format.dateTime(data.createdAt, { dateStyle: "medium", timeStyle: "medium" })}</dd>
              <dt className="text-muted-foreground">{t("columns.actor")}</dt>
              <dd className="break-all">{data.actorId ? (actorNames.get(data.actorId) ?? data.actorId) : t("system")}</dd>
              <dt className="text-muted-foreground">{t("columns.target")}</dt>
              <dd className="break-all">{[data.targetType, data.targetId].filter(Boolean).join(" ") || "—"}</dd>
              <dt className="text-muted-foreground">{t("columns.seq")}</dt>
              <dd>{data.seq}</dd>
              <dt className="text-muted-foreground">{t("ip")}</dt>
              <dd>{data.ip ?? "—"}</dd>
              <dt className="text-muted-foreground">{t("requestId")}</dt>
              <dd className="break-all">{data.requestId ?? "—"}</dd>
              <dt className="text-muted-foreground">{t("hash")}</dt>
              <dd className="break-all font-mono text-xs">{data.hash}</dd>
            </dl>
            <h3 className="font-semibold">{t("changes")}</h3>
            {data.changes.length === 0 ? (
              <p className="text-sm text-muted-foreground" data-testid="audit-no-changes">
                {t("noChanges")}
              </p>
            ) : (
              <table className="w-full text-sm" data-testid="audit-diff">
                <caption className="sr-only">{t("changes")}</caption>
                <thead>
                  <tr className="text-left text-muted-foreground">
                    <th scope="col">{t("field")}</th>
                    <th scope="col">{t("before")}</th>
                    <th scope="col">{t("after")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.changes.map((change) => (
                    <tr
                      key={change.field}
                      className="border-t border-border align-top"
                      data-testid="audit-diff-row"
                      data-field={change.field}
                    >
                      <th scope="row" className="py-1 pr-2 text-left font-normal">
                        <code>{change.field}</code> <Badge variant={KIND_VARIANT[change.kind]}>{t(`kind.${change.kind}`)}</Badge>
                      </th>
                      <td className="py-1 pr-2 break-all">
                        {change.before === null ? (
                          "—"
                        ) : (
                          <del className="text-destructive no-underline" data-testid="audit-before">
                            {change.before}
                          </del>
                        )}
                      </td>
                      <td className="py-1 break-all">
                        {change.after === null ? (
                          "—"
                        ) : (
                          <ins className="text-success no-underline" data-testid="audit-after">
                            {change.after}
                          </ins>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        ) : null}
      </SheetContent>
    </Sheet>
  );
}
