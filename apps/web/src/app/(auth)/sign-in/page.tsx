import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { safeCallbackPath } from "@/lib/callback-path";
import { enabledOAuthProviders } from "@/server/auth";
import { getRequestIdentity } from "@/server/identity";
import { SignInForm } from "./sign-in-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("SignIn");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const { callbackUrl, error } = await searchParams;
  const next = safeCallbackPath(callbackUrl);
  // Already signed in: nothing to do here.
  if ((await getRequestIdentity()).identity) redirect(next);
  const t = await getTranslations("SignIn");
  return (
    <section className="card auth__card" aria-labelledby="sign-in-title">
      <header className="auth__header">
        <h1 className="card__title" id="sign-in-title">
          {t("title")}
        </h1>
        <p className="muted">{t("subtitle")}</p>
      </header>
      <SignInForm callbackPath={next} initialError={typeof error === "string" ? error : null} oauthProviders={enabledOAuthProviders()} />
    </section>
  );
}
