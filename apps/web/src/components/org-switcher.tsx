import { getTranslations } from "next-intl/server";

/**
 * Placeholder until sign-in exists: the control sits where users will expect it, but
 * there are no organizations to list yet, so it is disabled.
 */
export async function OrgSwitcher() {
  const t = await getTranslations("OrgSwitcher");
  return (
    <label className="control">
      <span className="visually-hidden">{t("label")}</span>
      <select className="control__select" data-testid="org-switcher" disabled defaultValue="" title={t("hint")}>
        <option value="">{t("placeholder")}</option>
      </select>
    </label>
  );
}
