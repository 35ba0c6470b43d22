"use client";

import { Button, DataTable, EmptyState, toast } from "@aihub/ui";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRoundIcon, PlusIcon } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { useApiError } from "@/components/form/use-api-error";
import { useOrg } from "@/components/orgs/org-context";
import { ErrorBlock } from "@/components/orgs/ui";
import { flattenTree, PERMISSION_OPTIONS } from "@/lib/org-access";
import { useTRPC } from "@/trpc/react";
import { type ApiKeyRow, apiKeyColumns } from "./columns";
import { CreateApiKeyDialog } from "./create-api-key-dialog";
import { EditApiKeyDialog } from "./edit-api-key-dialog";
import { KeyActions } from "./key-actions";
import { ShowKeyDialog, type ShownKey } from "./show-key-dialog";

/** The largest page the API serves; further pages load on demand. */
const PAGE_SIZE = 100;

/** The organization's API keys: table, create (key shown once), edit, rotate and revoke. */
export function ApiKeysPanel() {
  const t = useTranslations("ApiKeys");
  const format = useFormatter();
  const { org, can, permissions } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const apiError = useApiError();
  const canWrite = can("api_key:write");

  const list = useInfiniteQuery(
    trpc.apiKey.list.infiniteQueryOptions({ orgId: org.id, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }),
  );
  const teams = useQuery({ ...trpc.team.list.queryOptions({ orgId: org.id }), enabled: canWrite && can("team:read") });
  const create = useMutation(trpc.apiKey.create.mutationOptions());
  const update = useMutation(trpc.apiKey.update.mutationOptions());
  const rotate = useMutation(trpc.apiKey.rotate.mutationOptions());
  const revoke = useMutation(trpc.apiKey.revoke.mutationOptions());

  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<ApiKeyRow | null>(null);
  const [shown, setShown] = useState<ShownKey | null>(null);

  const refresh = () => queryClient.invalidateQueries(trpc.apiKey.list.pathFilter());
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  // Scopes a key may get: what the creator holds here (the server caps them the same way).
  const grantable = PERMISSION_OPTIONS.filter((permission) => permissions.includes(permission));
  const teamOptions = useMemo(
    () => flattenTree(teams.data ?? []).map(({ node, depth }) => ({ id: node.id, name: node.name, depth })),
    [teams.data],
  );
  const formatInstant = (date: Date) => format.dateTime(date, { dateStyle: "medium", timeStyle: "short" });

  const columns = useMemo(
    () =>
      apiKeyColumns({
        t,
        format,
        actions: canWrite
          ? (row) => (
              <KeyActions
                apiKey={row}
                onEdit={() => setEditing(row)}
                onRotate={async (gracePeriodSeconds) => {
                  try {
                    const result = await rotate.mutateAsync({ orgId: org.id, apiKeyId: row.id, gracePeriodSeconds });
                    setShown({ key: result.key, name: result.apiKey.name, rotated: true, previousUntil: result.previous.expiresAt });
                    toast.success(t("rotated", { name: row.name }));
                  } catch (error) {
                    toast.error(apiError(error));
                  }
                  await refresh();
                }}
                onRevoke={async () => {
                  try {
                    await revoke.mutateAsync({ orgId: org.id, apiKeyId: row.id });
                    toast.success(t("revoked", { name: row.name }));
                  } catch (error) {
                    toast.error(apiError(error));
                  }
                  await refresh();
                }}
              />
            )
          : undefined,
      }),
    // The mutations' functions are stable (react-query keeps them), so these are all the inputs.
    [t, format, canWrite, org.id],
  );

  const createButton = canWrite ? (
    <Button size="sm" onClick={() => setCreating(true)} data-testid="api-key-create">
      <PlusIcon aria-hidden="true" />
      {t("create")}
    </Button>
  ) : null;

  return (
    <section className="grid min-w-0 gap-3" aria-labelledby="api-keys-title">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="grid gap-1">
          <h2 className="text-lg font-semibold" id="api-keys-title">
            {t("title")}
          </h2>
          <p className="text-sm text-muted-foreground">{t("intro")}</p>
        </div>
      </div>
      {list.isError ? (
        <ErrorBlock message={apiError(list.error)} onRetry={() => list.refetch()} testId="api-keys-load-error" />
      ) : (
        <DataTable
          columns={columns}
          data={rows}
          caption={t("title")}
          loading={list.isPending}
          getRowId={(row) => row.id}
          rowTestId="api-key-row"
          rowProps={(row) => ({ "data-key-name": row.name })}
          urlPrefix="keys_"
          toolbar={createButton}
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
              icon={<KeyRoundIcon aria-hidden="true" />}
              title={t("emptyTitle")}
              description={canWrite ? t("emptyBody") : t("emptyBodyReadOnly")}
              data-testid="api-keys-empty"
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
      {canWrite ? (
        <CreateApiKeyDialog
          open={creating}
          onOpenChange={setCreating}
          orgId={org.id}
          grantable={grantable}
          teams={teamOptions}
          onCreate={async (input) => {
            const result = await create.mutateAsync(input);
            setCreating(false);
            setShown({ key: result.key, name: result.apiKey.name });
            toast.success(t("created", { name: result.apiKey.name }));
            await refresh();
          }}
        />
      ) : null}
      {editing ? (
        <EditApiKeyDialog
          apiKey={editing}
          orgId={org.id}
          onClose={() => setEditing(null)}
          onSave={async (input) => {
            await update.mutateAsync(input);
            setEditing(null);
            toast.success(t("updated", { name: input.name ?? editing.name }));
            await refresh();
          }}
        />
      ) : null}
      <ShowKeyDialog shown={shown} onClose={() => setShown(null)} format={formatInstant} />
    </section>
  );
}
