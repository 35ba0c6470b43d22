import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getRequestIdentity } from "@/server/identity";
import { getViewer, type Viewer } from "@/trpc/server";
import { LanguageSwitcher } from "./language-switcher";
import { OrgSwitcher } from "./org-switcher";
import { SignOutButton } from "./sign-out-button";
import { ThemeSwitch } from "./theme-switch";

/** The header is on every page: if loading the user fails, it degrades instead of failing the page. */
async function loadViewer(): Promise<Viewer | null> {
  try {
    return await getViewer();
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "header: loading the signed-in user failed", error: String(error) }));
    return null;
  }
}

export async function SiteHeader() {
  const [t, { identity }, viewer] = await Promise.all([getTranslations("Header"), getRequestIdentity(), loadViewer()]);
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="brand" title={t("homeLink")}>
          <span className="brand__mark" aria-hidden="true">
            AI
          </span>
          <span className="brand__name">{t("productName")}</span>
        </Link>
        <div className="site-header__controls">
          {viewer ? (
            <Link href="/orgs" className="site-header__link" data-testid="nav-orgs">
              {t("organizations")}
            </Link>
          ) : null}
          <OrgSwitcher organizations={viewer?.organizations ?? null} />
          <LanguageSwitcher />
          <ThemeSwitch />
          {identity ? (
            <div className="user-menu">
              {viewer ? (
                <Link href="/account" className="user-menu__email" title={t("account")} data-testid="user-email">
                  {viewer.user.email}
                </Link>
              ) : null}
              <SignOutButton label={t("signOut")} pendingLabel={t("signingOut")} />
            </div>
          ) : (
            <Link href="/sign-in" className="button button--secondary button--small" data-testid="sign-in-link">
              {t("signIn")}
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
