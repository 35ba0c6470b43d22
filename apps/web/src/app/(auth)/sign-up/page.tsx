import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { safeCallbackPath } from "@/lib/callback-path";
import { getRequestIdentity } from "@/server/identity";
import { SignUpForm } from "./sign-up-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("SignUp");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const { callbackUrl, email } = await searchParams;
  // Where to go once the account exists (an invitation link, say): a path on this site only.
  const next = safeCallbackPath(callbackUrl);
  if ((await getRequestIdentity()).identity) redirect(next);
  const t = await getTranslations("SignUp");
  return (
    <section className="card auth__card" aria-labelledby="sign-up-title">
      <header className="auth__header">
        <h1 className="card__title" id="sign-up-title">
          {t("title")}
        </h1>
        <p className="muted">{t("subtitle")}</p>
      </header>
      <SignUpForm callbackPath={next} defaultEmail={typeof email === "string" ? email.slice(0, 320) : ""} />
    </section>
  );
}
