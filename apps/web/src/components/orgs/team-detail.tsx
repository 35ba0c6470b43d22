"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useId, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { TeamBudget } from "@/components/budgets/team-budget";
import { Field } from "@/components/form/field";
import { fieldError } from "@/lib/account-forms";
import { ledSubtree, type TeamRole } from "@/lib/org-access";
import { ZTeamForm } from "@/lib/org-forms";
import { useTRPC } from "@/trpc/react";
import { useOrg } from "./org-context";
import { ConfirmButton, EmptyState, ErrorBlock, LoadingBlock, MemberSelect, RoleBadge } from "./ui";
import { useActionNotice } from "./use-action-notice";

/** One team: its members with their team role, adding and removing members, sub-teams, name and description. */
export function TeamDetail({ teamId }: { teamId: string }) {
  const t = useTranslations("TeamDetail");
  const teamRoles = useTranslations("Roles");
  const { org, can, ledTeamIds } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { run, apiError } = useActionNotice(() => queryClient.invalidateQueries(trpc.team.pathFilter()));
  const addSelectId = useId();
  const addRoleId = useId();
  const [toAdd, setToAdd] = useState("");
  const [addRole, setAddRole] = useState<TeamRole>("member");

  const team = useQuery(trpc.team.get.queryOptions({ orgId: org.id, teamId }));
  const tree = useQuery(trpc.team.list.queryOptions({ orgId: org.id }));
  const led = useMemo(() => ledSubtree(tree.data ?? [], ledTeamIds), [tree.data, ledTeamIds]);
  const canManage = can("team:manage_members") || led.has(teamId);
  const canUpdate = can("team:update") || led.has(teamId);
  // Bounded: the first 100 members are offered; search narrows on the members tab.
  const orgMembers = useQuery({ ...trpc.member.list.queryOptions({ orgId: org.id, limit: 100 }), enabled: canManage });

  const update = useMutation(trpc.team.update.mutationOptions());
  const addMember = useMutation(trpc.team.addMember.mutationOptions());
  const removeMember = useMutation(trpc.team.removeMember.mutationOptions());
  const updateRole = useMutation(trpc.team.updateMemberRole.mutationOptions());

  const form = useForm({
    resolver: zodResolver(ZTeamForm),
    values: { name: team.data?.name ?? "", description: team.data?.description ?? "" },
  });

  if (team.isPending) return <LoadingBlock testId="team-loading" />;
  if (team.isError) {
    // A refusal (an unknown team, say) arrives at once: queries don't retry 4xx answers.
    return (
      <div className="grid gap-3">
        <ErrorBlock message={apiError(team.error)} onRetry={() => team.refetch()} testId="team-load-error" />
        <p>
          <Link href={`/orgs/${org.slug}/teams`} data-testid="team-back">
            {t("backToTeams")}
          </Link>
        </p>
      </div>
    );
  }

  const data = team.data;
  const inTeam = new Set(data.memberships.map((m) => m.member.id));
  const candidates = (orgMembers.data?.items ?? []).filter((m) => !inTeam.has(m.id));
  const nameOf = (user: { name: string | null; email: string }) => user.name ?? user.email;

  return (
    <div className="stack" data-testid="team-detail">
      <nav aria-label={t("breadcrumbs")} className="breadcrumbs">
        <Link href={`/orgs/${org.slug}/teams`}>{t("teams")}</Link>
        {data.parent ? (
          <>
            <span aria-hidden="true">/</span>
            <Link href={`/orgs/${org.slug}/teams/${data.parent.id}`}>{data.parent.name}</Link>
          </>
        ) : null}
        <span aria-hidden="true">/</span>
        <span aria-current="page">{data.name}</span>
      </nav>
      <div className="page-head">
        <h2 className="section-title" data-testid="team-name">
          {data.name}
        </h2>
      </div>
      {data.description ? <p className="muted">{data.description}</p> : null}
      <TeamBudget teamId={teamId} />

      <section className="stack stack--tight" aria-labelledby="team-members-title">
        <h3 className="section-title" id="team-members-title">
          {t("membersTitle")}
        </h3>
        {data.memberships.length === 0 ? (
          <EmptyState testId="team-members-empty" title={t("noMembers")} body={canManage ? t("noMembersBody") : undefined} />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("member")}</th>
                  <th scope="col">{t("teamRole")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.memberships.map((membership) => (
                  <tr key={membership.id} data-testid="team-member-row" data-email={membership.member.user.email}>
                    <td>
                      <div className="person">
                        <span className="person__name">{nameOf(membership.member.user)}</span>
                        <span className="muted person__email">{membership.member.user.email}</span>
                      </div>
                    </td>
                    <td>
                      {canManage ? (
                        <select
                          className="control__select"
                          aria-label={t("teamRoleFor", { name: nameOf(membership.member.user) })}
                          value={membership.role}
                          data-testid="team-member-role"
                          onChange={(event) => {
                            const role = event.target.value as TeamRole;
                            run(
                              () => updateRole.mutateAsync({ orgId: org.id, teamId, memberId: membership.member.id, role }),
                              t("roleChanged", { name: nameOf(membership.member.user), role: teamRoles(role) }),
                            ).catch(() => undefined);
                          }}
                        >
                          <option value="member">{teamRoles("member")}</option>
                          <option value="lead">{teamRoles("lead")}</option>
                        </select>
                      ) : (
                        <RoleBadge role={membership.role} testId="team-member-role-badge" />
                      )}
                    </td>
                    <td>
                      {canManage ? (
                        <div className="row row--end">
                          <ConfirmButton
                            label={t("remove")}
                            question={t("removeQuestion", { name: nameOf(membership.member.user), team: data.name })}
                            confirmLabel={t("removeConfirm")}
                            testId="team-member-remove"
                            onConfirm={() =>
                              run(
                                () => removeMember.mutateAsync({ orgId: org.id, teamId, memberId: membership.member.id }),
                                t("removed", { name: nameOf(membership.member.user) }),
                              )
                            }
                          />
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canManage ? (
          <form
            className="row row--wrap"
            data-testid="team-add-member-form"
            onSubmit={(event) => {
              event.preventDefault();
              const member = candidates.find((m) => m.id === toAdd);
              if (!member) return;
              run(
                () => addMember.mutateAsync({ orgId: org.id, teamId, memberId: member.id, role: addRole }),
                t("added", { name: nameOf(member.user) }),
              ).then(
                () => setToAdd(""),
                () => undefined,
              );
            }}
          >
            <MemberSelect
              id={addSelectId}
              label={t("addMember")}
              members={candidates}
              value={toAdd}
              onChange={setToAdd}
              placeholder={orgMembers.isPending ? t("loadingMembers") : t("chooseMember")}
              testId="team-add-member-select"
            />
            <label htmlFor={addRoleId} className="toolbar__filter">
              <span>{t("teamRole")}</span>
              <select
                id={addRoleId}
                className="control__select"
                value={addRole}
                onChange={(event) => setAddRole(event.target.value as TeamRole)}
                data-testid="team-add-member-role"
              >
                <option value="member">{teamRoles("member")}</option>
                <option value="lead">{teamRoles("lead")}</option>
              </select>
            </label>
            <button
              type="submit"
              className="button button--small"
              disabled={!toAdd || addMember.isPending}
              data-testid="team-add-member-submit"
            >
              {t("add")}
            </button>
          </form>
        ) : null}
      </section>

      <section className="stack stack--tight" aria-labelledby="sub-teams-title">
        <h3 className="section-title" id="sub-teams-title">
          {t("subTeamsTitle")}
        </h3>
        {data.children.length === 0 ? (
          <p className="muted" data-testid="sub-teams-empty">
            {t("noSubTeams")}
          </p>
        ) : (
          <ul className="link-list" data-testid="sub-teams">
            {data.children.map((child) => (
              <li key={child.id}>
                <Link href={`/orgs/${org.slug}/teams/${child.id}`}>{child.name}</Link>
                {child.description ? <span className="muted"> — {child.description}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      {canUpdate ? (
        <section className="card card--wide" aria-labelledby="team-edit-title">
          <h3 className="card__title" id="team-edit-title">
            {t("editTitle")}
          </h3>
          <form
            className="form"
            noValidate
            data-testid="team-edit-form"
            onSubmit={form.handleSubmit((values) =>
              run(
                () => update.mutateAsync({ orgId: org.id, teamId, name: values.name, description: values.description || null }),
                t("saved"),
              ).catch(() => undefined),
            )}
          >
            <Field
              id="team-edit-name"
              label={t("name")}
              required
              error={fieldError(form.formState.errors.name, t("nameError"))}
              {...form.register("name")}
            />
            <Field
              id="team-edit-description"
              label={t("description")}
              error={fieldError(form.formState.errors.description, t("descriptionError"))}
              {...form.register("description")}
            />
            <span>
              <button type="submit" className="button" disabled={form.formState.isSubmitting} data-testid="team-edit-submit">
                {t("save")}
              </button>
            </span>
          </form>
        </section>
      ) : null}
    </div>
  );
}
