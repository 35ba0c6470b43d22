import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getViewer } from "@/trpc/server";
import { ChangePasswordForm, ResendVerification, SignOutEverywhere } from "./account-actions";
import { PersonalTokens } from "./personal-tokens";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Account");
  return { title: t("title") };
}

export default async function AccountPage() {
  const [viewer, t] = await Promise.all([getViewer(), getTranslations("Account")]);
  // The layout checked the session; it may still have ended since (another tab signed out everywhere).
  if (!viewer) redirect("/sign-in?callbackUrl=/account");
  const { user } = viewer;
  const verified = user.emailVerifiedAt !== null;
  return (
    <div className="stack">
      <h1 className="intro__title">{t("title")}</h1>

      <section className="card" aria-labelledby="profile-title" data-testid="account-profile">
        <h2 className="card__title" id="profile-title">
          {t("profileTitle")}
        </h2>
        <dl className="facts">
          <div className="facts__row">
            <dt>{t("name")}</dt>
            <dd data-testid="account-name">{user.name ?? <span className="muted">{t("noName")}</span>}</dd>
          </div>
          <div className="facts__row">
            <dt>{t("email")}</dt>
            <dd data-testid="account-email">{user.email}</dd>
          </div>
          <div className="facts__row">
            <dt>{t("emailStatus")}</dt>
            <dd className="stack stack--tight">
              <span>
                <span className={`badge ${verified ? "badge--ok" : "badge--degraded"}`} data-testid="email-status">
                  {verified ? t("verified") : t("unverified")}
                </span>
              </span>
              {verified ? null : <ResendVerification email={user.email} />}
            </dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="password-title">
        <h2 className="card__title" id="password-title">
          {t("passwordTitle")}
        </h2>
        <p className="muted">{t("passwordBody")}</p>
        <ChangePasswordForm email={user.email} />
      </section>

      <PersonalTokens />

      <section className="card" aria-labelledby="sessions-title">
        <h2 className="card__title" id="sessions-title">
          {t("sessionsTitle")}
        </h2>
        <p className="muted">{t("sessionsBody")}</p>
        <SignOutEverywhere />
      </section>
    </div>
  );
}
