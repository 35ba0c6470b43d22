"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { useApiError } from "@/components/form/use-api-error";
import { fieldError } from "@/lib/account-forms";
import { COMMON_CURRENCIES, COMMON_TIMEZONES, toCreateOrganizationInput, ZCreateOrganizationForm } from "@/lib/org-forms";
import { useTRPC } from "@/trpc/react";

export function CreateOrganizationForm() {
  const t = useTranslations("CreateOrg");
  const v = useTranslations("OrgValidation");
  const router = useRouter();
  const trpc = useTRPC();
  const apiError = useApiError();
  const create = useMutation(trpc.organization.create.mutationOptions());
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm({ resolver: zodResolver(ZCreateOrganizationForm), defaultValues: { name: "", slug: "", timezone: "UTC", currency: "USD" } });

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      const org = await create.mutateAsync(toCreateOrganizationInput(values));
      router.push(`/orgs/${org.slug}`);
      router.refresh();
    } catch (error) {
      setFailure(apiError(error, setError, ["name", "slug", "timezone", "currency"]));
    }
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="create-org-form">
      {failure ? (
        <FormAlert tone="error" testId="create-org-error">
          {failure}
        </FormAlert>
      ) : null}
      <Field id="org-name" label={t("name")} required error={fieldError(errors.name, v("name"))} {...register("name")} />
      <Field id="org-slug" label={t("slug")} hint={t("slugHint")} error={fieldError(errors.slug, v("slug"))} {...register("slug")} />
      <Field
        id="org-timezone"
        label={t("timezone")}
        list="org-timezones"
        error={fieldError(errors.timezone, v("timezone"))}
        {...register("timezone")}
      />
      <datalist id="org-timezones">
        {COMMON_TIMEZONES.map((tz) => (
          <option key={tz} value={tz} />
        ))}
      </datalist>
      <Field
        id="org-currency"
        label={t("currency")}
        list="org-currencies"
        error={fieldError(errors.currency, v("currency"))}
        {...register("currency")}
      />
      <datalist id="org-currencies">
        {COMMON_CURRENCIES.map((code) => (
          <option key={code} value={code} />
        ))}
      </datalist>
      <span>
        <button type="submit" className="button" disabled={isSubmitting} data-testid="create-org-submit">
          {isSubmitting ? t("creating") : t("submit")}
        </button>
      </span>
    </form>
  );
}
