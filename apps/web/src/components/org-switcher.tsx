import { getTranslations } from "next-intl/server";
import type { Viewer } from "@/trpc/server";
import { OrgSelect } from "./org-select";

/**
 * The organizations the signed-in user belongs to (from `me.get`); choosing one opens
 * `/orgs/<slug>`, so the current org is always the one in the URL. Signed out, or with no
 * organizations, the control stays where users expect it, disabled, with a hint saying why.
 */
export async function OrgSwitcher({ organizations }: { organizations: Viewer["organizations"] | null }) {
  const t = await getTranslations("OrgSwitcher");
  if (!organizations || organizations.length === 0) {
    const hint = organizations ? t("noneHint") : t("hint");
    return (
      <label className="control">
        <span className="visually-hidden">{t("label")}</span>
        <select className="control__select" data-testid="org-switcher" disabled defaultValue="" title={hint}>
          <option value="">{organizations ? t("none") : t("placeholder")}</option>
        </select>
      </label>
    );
  }
  return (
    <OrgSelect
      label={t("label")}
      placeholder={t("placeholder")}
      organizations={organizations.map(({ id, name, slug }) => ({ id, name, slug }))}
    />
  );
}
