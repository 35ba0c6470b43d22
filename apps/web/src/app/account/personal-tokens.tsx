"use client";

import { PERSONAL_TOKEN_SCOPES, type Permission } from "@aihub/api/rbac";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { useServerErrors } from "@/components/form/use-server-errors";
import { ConfirmButton, EmptyState, ErrorBlock, LoadingBlock } from "@/components/orgs/ui";
import { useTRPC } from "@/trpc/react";

/** Expiry choices in days: a token always expires, at most a year after it is made. */
const EXPIRY_DAYS = [7, 30, 90, 365] as const;
const DAY_MS = 86_400_000;

/** The new token, shown once with a copy button: the server keeps only its hash. */
function NewToken({ token, onDismiss }: { token: string; onDismiss: () => void }) {
  const t = useTranslations("PersonalTokens");
  const [copied, setCopied] = useState(false);
  return (
    <FormAlert tone="success" testId="personal-token-created">
      <p>{t("createdTitle")}</p>
      <p className="muted">{t("createdOnce")}</p>
      <div className="row row--wrap">
        <code className="secret" data-testid="personal-token-value">
          {token}
        </code>
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() =>
            navigator.clipboard?.writeText(token).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
          data-testid="personal-token-copy"
        >
          {copied ? t("copied") : t("copy")}
        </button>
        <button type="button" className="button button--secondary button--small" onClick={onDismiss} data-testid="personal-token-dismiss">
          {t("dismiss")}
        </button>
      </div>
    </FormAlert>
  );
}

/** Create, list and revoke the signed-in person's personal access tokens (session only on the server). */
export function PersonalTokens() {
  const t = useTranslations("PersonalTokens");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const serverErrors = useServerErrors();
  const list = useQuery(trpc.personalToken.list.queryOptions({ limit: 100 }));
  const create = useMutation(trpc.personalToken.create.mutationOptions());
  const revoke = useMutation(trpc.personalToken.revoke.mutationOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.personalToken.list.pathFilter());

  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Permission[]>(["org:read"]);
  const [days, setDays] = useState<number>(30);
  const [created, setCreated] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [nameError, setNameError] = useState<string | undefined>();

  const toggle = (scope: Permission, on: boolean) =>
    setScopes((current) => (on ? [...new Set([...current, scope])] : current.filter((s) => s !== scope)));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setNotice(null);
    setCreated(null);
    setNameError(name.trim() ? undefined : t("nameRequired"));
    if (!name.trim()) return;
    if (scopes.length === 0) {
      setNotice({ tone: "error", text: t("scopesRequired") });
      return;
    }
    try {
      const result = await create.mutateAsync({ name: name.trim(), scopes, expiresAt: new Date(Date.now() + days * DAY_MS) });
      setCreated(result.token);
      setName("");
      await refresh();
    } catch (error) {
      setNotice({ tone: "error", text: serverErrors(error) });
    }
  }

  const tokens = list.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="personal-tokens-title" data-testid="personal-tokens">
      <h2 className="card__title" id="personal-tokens-title">
        {t("title")}
      </h2>
      <p className="muted">{t("body")}</p>
      {notice ? (
        <FormAlert tone={notice.tone} testId={notice.tone === "success" ? "personal-tokens-notice" : "personal-tokens-error"}>
          {notice.text}
        </FormAlert>
      ) : null}
      {created ? <NewToken token={created} onDismiss={() => setCreated(null)} /> : null}

      <form className="form" onSubmit={onSubmit} noValidate data-testid="personal-token-form">
        <Field
          id="personal-token-name"
          label={t("name")}
          autoComplete="off"
          maxLength={120}
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={nameError}
          hint={t("nameHint")}
        />
        <fieldset className="field fieldset">
          <legend className="field__label">{t("scopes")}</legend>
          <p className="field__hint">{t("scopesHint")}</p>
          <div className="checklist" data-testid="personal-token-scopes">
            {PERSONAL_TOKEN_SCOPES.map((scope) => (
              <label key={scope} className="checklist__item">
                <input
                  type="checkbox"
                  value={scope}
                  checked={scopes.includes(scope)}
                  onChange={(event) => toggle(scope, event.target.checked)}
                />
                <code>{scope}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="personal-token-expiry" className="field__label">
            {t("expiry")}
          </label>
          <select
            id="personal-token-expiry"
            className="control__select"
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
            data-testid="personal-token-expiry"
          >
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {t("expiryDays", { days: d })}
              </option>
            ))}
          </select>
        </div>
        <span>
          <button type="submit" className="button" disabled={create.isPending} data-testid="personal-token-submit">
            {create.isPending ? t("creating") : t("create")}
          </button>
        </span>
      </form>

      <h3 className="subsection-title">{t("listTitle")}</h3>
      {list.isPending ? (
        <LoadingBlock testId="personal-tokens-loading" />
      ) : list.isError ? (
        <ErrorBlock message={serverErrors(list.error)} onRetry={() => list.refetch()} testId="personal-tokens-load-error" />
      ) : tokens.length === 0 ? (
        <EmptyState testId="personal-tokens-empty" title={t("emptyTitle")} body={t("emptyBody")} />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col" className="table__optional">
                  {t("scopes")}
                </th>
                <th scope="col">{t("status")}</th>
                <th scope="col" className="table__optional">
                  {t("lastUsed")}
                </th>
                <th scope="col">{t("expires")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id} data-testid="personal-token-row" data-name={token.name} data-status={token.status}>
                  <td>
                    <div>{token.name}</div>
                    <code className="muted">{token.prefix}…</code>
                  </td>
                  <td className="table__optional">{token.scopes.join(", ")}</td>
                  <td>
                    <span
                      className={`badge ${token.status === "active" ? "badge--ok" : "badge--degraded"}`}
                      data-testid="personal-token-status"
                    >
                      {t(`statuses.${token.status}`)}
                    </span>
                  </td>
                  <td className="table__optional">{token.lastUsedAt ? format.relativeTime(token.lastUsedAt) : t("neverUsed")}</td>
                  <td>{format.dateTime(token.expiresAt, { dateStyle: "medium" })}</td>
                  <td>
                    {token.status === "active" ? (
                      <div className="row row--end">
                        <ConfirmButton
                          label={t("revoke")}
                          question={t("revokeQuestion", { name: token.name })}
                          confirmLabel={t("revokeConfirm")}
                          testId="personal-token-revoke"
                          pending={revoke.isPending}
                          onConfirm={async () => {
                            setNotice(null);
                            try {
                              await revoke.mutateAsync({ tokenId: token.id });
                              setNotice({ tone: "success", text: t("revoked", { name: token.name }) });
                              await refresh();
                            } catch (error) {
                              setNotice({ tone: "error", text: serverErrors(error) });
                            }
                          }}
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
    </section>
  );
}
