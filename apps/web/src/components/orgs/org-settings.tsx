"use client";

import { toast } from "@aihub/ui";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { useApiError } from "@/components/form/use-api-error";
import { fieldError } from "@/lib/account-forms";
import { COMMON_CURRENCIES, COMMON_TIMEZONES, type TOrganizationSettingsForm, ZOrganizationSettingsForm } from "@/lib/org-forms";
import { useTRPC } from "@/trpc/react";
import { useOrg } from "./org-context";
import { ConfirmButton, MemberSelect } from "./ui";
import { useNoticeToast } from "./use-notice-toast";

export function OrgSettings({ organization }: { organization: TOrganizationSettingsForm & { slug: string } }) {
  const { can } = useOrg();
  return (
    <div className="stack">
      {can("org:update") ? <SettingsForm organization={organization} /> : null}
      {can("org:delete") || can("org:transfer") ? (
        <section className="card card--wide card--danger" aria-labelledby="danger-title" data-testid="danger-zone">
          <h2 className="card__title" id="danger-title">
            <DangerTitle />
          </h2>
          {can("org:transfer") ? <TransferOwnership /> : null}
          {can("org:delete") ? <DeleteOrganization slug={organization.slug} /> : null}
        </section>
      ) : null}
    </div>
  );
}

function DangerTitle() {
  return useTranslations("Settings")("dangerTitle");
}

function SettingsForm({ organization }: { organization: TOrganizationSettingsForm }) {
  const t = useTranslations("Settings");
  const v = useTranslations("OrgValidation");
  const { org } = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const apiError = useApiError();
  const update = useMutation(trpc.organization.update.mutationOptions());
  const [notice, setNotice] = useNoticeToast();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm({ resolver: zodResolver(ZOrganizationSettingsForm), defaultValues: organization });

  const onSubmit = handleSubmit(async (values) => {
    setNotice(null);
    try {
      await update.mutateAsync({ orgId: org.id, ...values, description: values.description || null });
      setNotice({ tone: "success", text: t("saved") });
      router.refresh();
    } catch (error) {
      setNotice({ tone: "error", text: apiError(error, setError, ["name", "description", "timezone", "currency"]) });
    }
  });

  return (
    <section className="card card--wide" aria-labelledby="settings-title">
      <h2 className="card__title" id="settings-title">
        {t("title")}
      </h2>
      {notice ? (
        <FormAlert tone={notice.tone} testId={notice.tone === "success" ? "settings-notice" : "settings-error"}>
          {notice.text}
        </FormAlert>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate data-testid="settings-form">
        <Field id="settings-name" label={t("name")} required error={fieldError(errors.name, v("name"))} {...register("name")} />
        <Field
          id="settings-description"
          label={t("description")}
          error={fieldError(errors.description, v("description"))}
          {...register("description")}
        />
        <Field
          id="settings-timezone"
          label={t("timezone")}
          list="settings-timezones"
          error={fieldError(errors.timezone, v("timezone"))}
          {...register("timezone")}
        />
        <datalist id="settings-timezones">
          {COMMON_TIMEZONES.map((tz) => (
            <option key={tz} value={tz} />
          ))}
        </datalist>
        <Field
          id="settings-currency"
          label={t("currency")}
          list="settings-currencies"
          error={fieldError(errors.currency, v("currency"))}
          {...register("currency")}
        />
        <datalist id="settings-currencies">
          {COMMON_CURRENCIES.map((code) => (
            <option key={code} value={code} />
          ))}
        </datalist>
        <span>
          <button type="submit" className="button" disabled={isSubmitting} data-testid="settings-submit">
            {isSubmitting ? t("saving") : t("save")}
          </button>
        </span>
      </form>
    </section>
  );
}

function TransferOwnership() {
  const t = useTranslations("Settings");
  const { org, userId } = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const apiError = useApiError();
  const selectId = useId();
  const [memberId, setMemberId] = useState("");
  const [notice, setNotice] = useNoticeToast();
  // Bounded: the first 100 members; search narrows on the members tab.
  const members = useQuery(trpc.member.list.queryOptions({ orgId: org.id, limit: 100 }));
  const transfer = useMutation(trpc.organization.transferOwnership.mutationOptions());
  const candidates = (members.data?.items ?? []).filter((m) => m.user.id !== userId);
  const chosen = candidates.find((m) => m.id === memberId);
  return (
    <div className="stack stack--tight" data-testid="transfer-ownership">
      <h3 className="subsection-title">{t("transferTitle")}</h3>
      <p className="muted">{t("transferBody")}</p>
      {notice ? (
        <FormAlert tone={notice.tone} testId={notice.tone === "success" ? "transfer-notice" : "transfer-error"}>
          {notice.text}
        </FormAlert>
      ) : null}
      <div className="row row--wrap">
        <MemberSelect
          id={selectId}
          label={t("newOwner")}
          members={candidates}
          value={memberId}
          onChange={setMemberId}
          placeholder={members.isPending ? t("loadingMembers") : t("chooseMember")}
          testId="transfer-member"
        />
        {chosen ? (
          <ConfirmButton
            label={t("transfer")}
            question={t("transferQuestion", { name: chosen.user.name ?? chosen.user.email })}
            confirmLabel={t("transferConfirm")}
            testId="transfer-ownership-button"
            pending={transfer.isPending}
            onConfirm={async () => {
              setNotice(null);
              try {
                await transfer.mutateAsync({ orgId: org.id, memberId: chosen.id });
                setNotice({ tone: "success", text: t("transferred", { name: chosen.user.name ?? chosen.user.email }) });
                router.refresh();
              } catch (error) {
                setNotice({ tone: "error", text: apiError(error) });
              }
            }}
          />
        ) : null}
      </div>
    </div>
  );
}

function DeleteOrganization({ slug }: { slug: string }) {
  const t = useTranslations("Settings");
  const { org } = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const apiError = useApiError();
  const remove = useMutation(trpc.organization.delete.mutationOptions());
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <div className="stack stack--tight" data-testid="delete-organization">
      <h3 className="subsection-title">{t("deleteTitle")}</h3>
      <p className="muted">{t("deleteBody")}</p>
      {failure ? (
        <FormAlert tone="error" testId="delete-org-error">
          {failure}
        </FormAlert>
      ) : null}
      <span>
        <ConfirmButton
          label={t("delete")}
          question={t("deleteQuestion", { name: org.name })}
          confirmLabel={t("deleteConfirm")}
          typeToConfirm={slug}
          testId="delete-org"
          pending={remove.isPending}
          small={false}
          onConfirm={async () => {
            setFailure(null);
            try {
              await remove.mutateAsync({ orgId: org.id, confirmSlug: slug });
            } catch (error) {
              setFailure(apiError(error));
              toast.error(apiError(error));
              return;
            }
            toast.success(t("deleted", { name: org.name }));
            router.push("/orgs");
            router.refresh();
          }}
        />
      </span>
    </div>
  );
}
