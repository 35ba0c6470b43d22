"use client";

import type { RouterOutputs } from "@aihub/api";
import { Badge, Label, Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@aihub/ui";
import { useQuery } from "@tanstack/react-query";
import { CheckIcon, XIcon } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { parseAsString, useQueryState } from "nuqs";
import { useMemo } from "react";
import { useApiError } from "@/components/form/use-api-error";
import { useOrg } from "@/components/orgs/org-context";
import { ErrorBlock, LoadingBlock } from "@/components/orgs/ui";
import { flattenTree } from "@/lib/org-access";
import { useTRPC } from "@/trpc/react";

type Explained = RouterOutputs["permission"]["explainAll"];
type Reason = Explained["permissions"][number]["reasons"][number];

const NO_TEAM = "__org";

/** Every permission of one member (the caller when `userId` is null), allowed or not, with why; per team. */
export function EffectivePermissions({ userId }: { userId: string | null }) {
  const t = useTranslations("EffectivePermissions");
  const names = useTranslations("PermissionNames");
  const roles = useTranslations("Roles");
  const format = useFormatter();
  const { org, can } = useOrg();
  const trpc = useTRPC();
  const apiError = useApiError();
  const [teamId, setTeamId] = useQueryState("team", parseAsString.withDefault(""));

  const teams = useQuery({ ...trpc.team.list.queryOptions({ orgId: org.id }), enabled: can("team:read") });
  const teamOptions = useMemo(() => flattenTree(teams.data ?? []), [teams.data]);
  const teamNames = useMemo(() => new Map(teamOptions.map(({ node }) => [node.id, node.name])), [teamOptions]);
  const validTeam = teamOptions.some(({ node }) => node.id === teamId) ? teamId : undefined;
  const explained = useQuery(trpc.permission.explainAll.queryOptions({ orgId: org.id, userId: userId ?? undefined, teamId: validTeam }));
  const members = useQuery({ ...trpc.member.list.queryOptions({ orgId: org.id, limit: 100 }), enabled: userId !== null });
  const subject = userId ? members.data?.items.find((member) => member.user.id === userId)?.user : null;
  const subjectName = subject ? (subject.name ?? subject.email) : null;

  const teamName = (id: string) => teamNames.get(id) ?? id.slice(0, 8);
  const describe = (reason: Reason): string => {
    switch (reason.kind) {
      case "role":
        return reason.grants ? t("reason.roleGrants", { role: roles(reason.role) }) : t("reason.roleLacks", { role: roles(reason.role) });
      case "team_lead":
        return reason.teamId === reason.viaTeamId
          ? t("reason.teamLead", { team: teamName(reason.teamId) })
          : t("reason.teamLeadVia", { team: teamName(reason.teamId), via: teamName(reason.viaTeamId) });
      case "grant":
        return reason.expiresAt
          ? t("reason.grantUntil", { date: format.dateTime(reason.expiresAt, { dateStyle: "medium", timeStyle: "short" }) })
          : t("reason.grant");
      case "expired_grant":
        return t("reason.expiredGrant", { date: format.dateTime(reason.expiredAt, { dateStyle: "medium", timeStyle: "short" }) });
      case "deny":
        return t("reason.deny");
      case "team_required":
        return t("reason.teamRequired");
      case "scope":
        return reason.grants ? t("reason.scopeGrants") : t("reason.scopeLacks");
      case "key_team":
        return t("reason.keyTeam", { team: teamName(reason.teamId) });
    }
  };

  const data = explained.data;
  const allowedCount = data?.permissions.filter((permission) => permission.allowed).length ?? 0;
  return (
    <section className="grid min-w-0 gap-4" aria-labelledby="permissions-title">
      <div className="grid gap-1">
        <p className="text-sm">
          <Link href={`/orgs/${org.slug}/members`}>{t("back")}</Link>
        </p>
        <h2 className="text-lg font-semibold" id="permissions-title" data-testid="permissions-title">
          {userId === null ? t("titleSelf") : t("title", { name: subjectName ?? t("thisMember") })}
        </h2>
        <p className="text-sm text-muted-foreground">{t("intro")}</p>
      </div>
      <div className="grid max-w-sm gap-1">
        <Label htmlFor="permissions-team">{t("team")}</Label>
        <Select value={validTeam ?? NO_TEAM} onValueChange={(value) => setTeamId(value === NO_TEAM ? null : value)}>
          <SelectTrigger id="permissions-team" data-testid="permissions-team">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={NO_TEAM}>{t("wholeOrg")}</SelectItem>
            {teamOptions.map(({ node, depth }) => (
              <SelectItem key={node.id} value={node.id}>
                {`${"\u00a0\u00a0".repeat(depth)}${node.name}`}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      {explained.isPending ? (
        <LoadingBlock testId="permissions-loading" />
      ) : explained.isError ? (
        <ErrorBlock message={apiError(explained.error)} onRetry={() => explained.refetch()} testId="permissions-error" />
      ) : data ? (
        <>
          <p className="text-sm" data-testid="permissions-summary">
            {t("summary", { role: roles(data.role), allowed: allowedCount, total: data.permissions.length })}
          </p>
          <div className="overflow-x-auto rounded-md border border-border">
            <table className="w-full text-sm">
              <caption className="sr-only">{t("caption")}</caption>
              <thead className="bg-muted/50 text-left">
                <tr>
                  <th scope="col" className="p-2">
                    {t("permission")}
                  </th>
                  <th scope="col" className="p-2">
                    {t("decision")}
                  </th>
                  <th scope="col" className="p-2">
                    {t("reasons")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.permissions.map((entry) => (
                  <tr
                    key={entry.permission}
                    className="border-t border-border align-top"
                    data-testid="permission-row"
                    data-permission={entry.permission}
                    data-allowed={String(entry.allowed)}
                  >
                    <th scope="row" className="p-2 text-left font-normal">
                      <code className="font-semibold">{entry.permission}</code>
                      <p className="text-muted-foreground">{names.has(entry.permission) ? names(entry.permission) : entry.description}</p>
                      {entry.teamScoped ? <Badge variant="outline">{t("teamScoped")}</Badge> : null}
                    </th>
                    <td className="p-2">
                      {entry.allowed ? (
                        <Badge variant="success" data-testid="permission-decision">
                          <CheckIcon aria-hidden="true" className="size-3.5" />
                          {t("allowed")}
                        </Badge>
                      ) : (
                        <Badge variant="destructive" data-testid="permission-decision">
                          <XIcon aria-hidden="true" className="size-3.5" />
                          {t("denied")}
                        </Badge>
                      )}
                    </td>
                    <td className="p-2">
                      <ul className="grid gap-1" data-testid="permission-reasons">
                        {entry.reasons.map((reason, index) => (
                          <li key={`${reason.kind}-${index}`} data-reason={reason.kind}>
                            {describe(reason)}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
