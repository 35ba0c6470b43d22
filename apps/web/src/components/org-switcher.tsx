import { cookies } from "next/headers";
import { getTranslations } from "next-intl/server";
import type { Viewer } from "@/trpc/server";
import { CURRENT_ORG_COOKIE } from "./current-org-cookie";
import { OrgSelect } from "./org-select";

/**
 * The organizations the signed-in user belongs to (from `me.get`), the remembered one
 * selected. Signed out, or with no organizations, the control stays where users expect it,
 * disabled, with a hint saying why.
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
  const remembered = (await cookies()).get(CURRENT_ORG_COOKIE)?.value;
  const current = organizations.find((org) => org.id === remembered) ?? organizations[0];
  return (
    <OrgSelect
      label={t("label")}
      current={current?.id ?? ""}
      organizations={organizations.map(({ id, name, role }) => ({ id, name, role }))}
    />
  );
}
