import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { FormAlert } from "@/components/form/form-alert";
import { ResetPasswordForm } from "./reset-password-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("ResetPassword");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Where the emailed link lands: `/reset-password?token=…`. */
export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  const [t, errors] = await Promise.all([getTranslations("ResetPassword"), getTranslations("Errors")]);
  return (
    <section className="card auth__card" aria-labelledby="reset-password-title">
      <header className="auth__header">
        <h1 className="card__title" id="reset-password-title">
          {t("title")}
        </h1>
        <p className="muted">{t("subtitle")}</p>
      </header>
      {typeof token === "string" && token ? (
        <ResetPasswordForm token={token} />
      ) : (
        <div className="stack stack--tight">
          <FormAlert tone="error" testId="reset-password-error">
            {errors("invalidLink")}
          </FormAlert>
          <p className="auth__links">
            <Link href="/forgot-password">{t("requestNew")}</Link>
          </p>
        </div>
      )}
    </section>
  );
}
