import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getRequestIdentity } from "@/server/identity";
import { SignUpForm } from "./sign-up-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("SignUp");
  return { title: t("title") };
}

export default async function SignUpPage() {
  if ((await getRequestIdentity()).identity) redirect("/");
  const t = await getTranslations("SignUp");
  return (
    <section className="card auth__card" aria-labelledby="sign-up-title">
      <header className="auth__header">
        <h1 className="card__title" id="sign-up-title">
          {t("title")}
        </h1>
        <p className="muted">{t("subtitle")}</p>
      </header>
      <SignUpForm />
    </section>
  );
}
