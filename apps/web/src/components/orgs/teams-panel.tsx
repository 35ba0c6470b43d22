"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { flattenTree } from "@/lib/org-access";
import { useTRPC } from "@/trpc/react";
import { useOrg } from "./org-context";
import { TeamManagement } from "./team-management";
import { ErrorBlock, LoadingBlock } from "./ui";
import { useActionNotice } from "./use-action-notice";

/** The teams tab: loads the tree and runs create / move / delete for TeamManagement. */
export function TeamsPanel() {
  const t = useTranslations("Teams");
  const { org, can, ledTeamIds } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { run, apiError } = useActionNotice(() => queryClient.invalidateQueries(trpc.team.pathFilter()));
  const tree = useQuery(trpc.team.list.queryOptions({ orgId: org.id }));
  const create = useMutation(trpc.team.create.mutationOptions());
  const move = useMutation(trpc.team.move.mutationOptions());
  const remove = useMutation(trpc.team.delete.mutationOptions());

  const nodeOf = (teamId: string) => flattenTree(tree.data ?? []).find(({ node }) => node.id === teamId)?.node;
  const nameOf = (teamId: string) => nodeOf(teamId)?.name ?? "";

  return (
    <div className="stack">
      <TeamManagement
        orgSlug={org.slug}
        tree={tree.data ?? []}
        permissions={{ create: can("team:create"), update: can("team:update"), delete: can("team:delete") }}
        ledTeamIds={ledTeamIds}
        state={
          tree.isPending ? (
            <LoadingBlock testId="teams-loading" />
          ) : tree.isError ? (
            <ErrorBlock message={apiError(tree.error)} onRetry={() => tree.refetch()} testId="teams-load-error" />
          ) : undefined
        }
        onCreate={(team) => run(() => create.mutateAsync({ orgId: org.id, ...team }), t("created", { name: team.name }))}
        onMove={(teamId, newParentTeamId) => {
          // Where it was, for Undo (moving it back is the reverse mutation).
          const previousParentTeamId = nodeOf(teamId)?.parentTeamId ?? null;
          const name = nameOf(teamId);
          return run(() => move.mutateAsync({ orgId: org.id, teamId, newParentTeamId }), t("moved", { name }), {
            run: () => move.mutateAsync({ orgId: org.id, teamId, newParentTeamId: previousParentTeamId }),
            done: t("moveUndone", { name }),
          });
        }}
        onDelete={(teamId, cascade) =>
          run(() => remove.mutateAsync({ orgId: org.id, teamId, cascade }), t("deleted", { name: nameOf(teamId) }))
        }
      />
    </div>
  );
}
