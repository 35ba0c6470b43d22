"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { useApiError } from "@/components/form/use-api-error";
import { fieldError } from "@/lib/account-forms";
import { assignableRoles, flattenTree } from "@/lib/org-access";
import { ZInviteForm } from "@/lib/org-forms";
import { useTRPC } from "@/trpc/react";
import { InvitationsTable } from "./invitations-table";
import { useOrg } from "./org-context";
import { ErrorBlock } from "./ui";
import { useNoticeToast } from "./use-notice-toast";

/** The link to share, shown once after creating (or resending) an invitation. */
function InviteLink({ url, onDismiss }: { url: string; onDismiss: () => void }) {
  const t = useTranslations("Invitations");
  const [copied, setCopied] = useState(false);
  return (
    <FormAlert tone="success" testId="invite-link-box">
      <p>{t("linkTitle")}</p>
      <p className="muted">{t("linkOnce")}</p>
      <div className="row row--wrap">
        <code className="secret" data-testid="invite-link">
          {url}
        </code>
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() =>
            navigator.clipboard?.writeText(url).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
          data-testid="invite-link-copy"
        >
          {copied ? t("copied") : t("copy")}
        </button>
        <button type="button" className="button button--secondary button--small" onClick={onDismiss}>
          {t("dismiss")}
        </button>
      </div>
    </FormAlert>
  );
}

export function InvitationsPanel() {
  const t = useTranslations("Invitations");
  const v = useTranslations("OrgValidation");
  const roles = useTranslations("Roles");
  const { org } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const apiError = useApiError();
  const [link, setLink] = useState<string | null>(null);
  const [notice, setNotice] = useNoticeToast();

  const teams = useQuery(trpc.team.list.queryOptions({ orgId: org.id }));
  const pendingInput = { orgId: org.id, status: "pending" as const, limit: 20 };
  const pending = useInfiniteQuery(
    trpc.invitation.list.infiniteQueryOptions(pendingInput, { getNextPageParam: (page) => page.nextCursor }),
  );
  const refresh = () => queryClient.invalidateQueries(trpc.invitation.list.pathFilter());
  const create = useMutation(trpc.invitation.create.mutationOptions());
  const revoke = useMutation(trpc.invitation.revoke.mutationOptions());
  const resend = useMutation(trpc.invitation.resend.mutationOptions());

  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm({ resolver: zodResolver(ZInviteForm), defaultValues: { email: "", role: "member" as const, teamIds: [] as string[] } });

  const onSubmit = handleSubmit(async (values) => {
    setNotice(null);
    setLink(null);
    try {
      const result = await create.mutateAsync({ orgId: org.id, ...values });
      setLink(result.inviteUrl);
      setNotice({ tone: "success", text: t("sent", { email: result.invitation.email }) });
      reset();
      await refresh();
    } catch (error) {
      setNotice({ tone: "error", text: apiError(error, setError, ["email", "role", "teamIds"]) });
    }
  });

  const flat = teams.data ? flattenTree(teams.data) : [];
  const invitations = pending.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="stack">
      <section className="card card--wide" aria-labelledby="invite-title">
        <h2 className="card__title" id="invite-title">
          {t("inviteTitle")}
        </h2>
        {notice ? (
          <FormAlert tone={notice.tone} testId={notice.tone === "success" ? "invitations-notice" : "invitations-error"}>
            {notice.text}
          </FormAlert>
        ) : null}
        {link ? <InviteLink url={link} onDismiss={() => setLink(null)} /> : null}
        <form className="form" onSubmit={onSubmit} noValidate data-testid="invite-form">
          <Field
            id="invite-email"
            label={t("email")}
            type="email"
            autoComplete="off"
            required
            error={fieldError(errors.email, v("email"))}
            {...register("email")}
          />
          <div className="field">
            <label htmlFor="invite-role" className="field__label">
              {t("role")}
            </label>
            <select id="invite-role" className="control__select" data-testid="invite-role" {...register("role")}>
              {assignableRoles(org.role).map((role) => (
                <option key={role} value={role}>
                  {roles(role)}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field fieldset">
            <legend className="field__label">{t("teams")}</legend>
            {teams.isPending ? (
              <p className="muted">{t("loadingTeams")}</p>
            ) : flat.length === 0 ? (
              <p className="muted">{t("noTeams")}</p>
            ) : (
              <div className="checklist" data-testid="invite-teams">
                {flat.map(({ node, depth }) => (
                  <label key={node.id} className="checklist__item" style={{ paddingInlineStart: `${depth * 16}px` }}>
                    <input type="checkbox" value={node.id} {...register("teamIds")} />
                    {node.name}
                  </label>
                ))}
              </div>
            )}
          </fieldset>
          <span>
            <button type="submit" className="button" disabled={isSubmitting} data-testid="invite-submit">
              {isSubmitting ? t("sending") : t("send")}
            </button>
          </span>
        </form>
      </section>

      <section className="stack stack--tight" aria-labelledby="pending-title">
        <h2 className="section-title" id="pending-title">
          {t("pendingTitle")}
        </h2>
        {pending.isError ? (
          <ErrorBlock message={apiError(pending.error)} onRetry={() => pending.refetch()} testId="invitations-load-error" />
        ) : (
          <InvitationsTable
            invitations={invitations}
            loading={pending.isPending}
            busy={resend.isPending}
            onResend={async (invitation) => {
              setNotice(null);
              try {
                const result = await resend.mutateAsync({ orgId: org.id, invitationId: invitation.id });
                setLink(result.inviteUrl);
                setNotice({ tone: "success", text: t("resent", { email: invitation.email }) });
                await refresh();
              } catch (error) {
                setNotice({ tone: "error", text: apiError(error) });
              }
            }}
            onRevoke={async (invitation) => {
              setNotice(null);
              try {
                await revoke.mutateAsync({ orgId: org.id, invitationId: invitation.id });
                setNotice({ tone: "success", text: t("revoked", { email: invitation.email }) });
                await refresh();
              } catch (error) {
                setNotice({ tone: "error", text: apiError(error) });
              }
            }}
          />
        )}
        {pending.hasNextPage ? (
          <span>
            <button
              type="button"
              className="button button--secondary"
              disabled={pending.isFetchingNextPage}
              onClick={() => pending.fetchNextPage()}
              data-testid="invitations-load-more"
            >
              {pending.isFetchingNextPage ? t("loadingMore") : t("loadMore")}
            </button>
          </span>
        ) : null}
      </section>
    </div>
  );
}
