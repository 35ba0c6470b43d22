import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ForgotPasswordForm } from "./forgot-password-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("ForgotPassword");
  return { title: t("title") };
}

export default async function ForgotPasswordPage() {
  const t = await getTranslations("ForgotPassword");
  return (
    <section className="card auth__card" aria-labelledby="forgot-password-title">
      <header className="auth__header">
        <h1 className="card__title" id="forgot-password-title">
          {t("title")}
        </h1>
        <p className="muted">{t("subtitle")}</p>
      </header>
      <ForgotPasswordForm />
    </section>
  );
}
