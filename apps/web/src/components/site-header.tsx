import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LanguageSwitcher } from "./language-switcher";
import { OrgSwitcher } from "./org-switcher";

export async function SiteHeader() {
  const t = await getTranslations("Header");
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="brand" aria-label={t("homeLink")}>
          <span className="brand__mark" aria-hidden="true">
            AI
          </span>
          <span className="brand__name">{t("productName")}</span>
        </Link>
        <div className="site-header__controls">
          <OrgSwitcher />
          <LanguageSwitcher />
        </div>
      </div>
    </header>
  );
}
