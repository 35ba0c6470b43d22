import { forbidden } from "next/navigation";
import { OrgSettings } from "@/components/orgs/org-settings";
import { grantsTab } from "@/lib/tab-permissions";
import { tabTitle } from "@/lib/tab-title";
import { getOrgContext } from "@/server/org";
import { getServerApi } from "@/trpc/server";

export const generateMetadata = tabTitle("settings");

export default async function SettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { org: current, permissions } = await getOrgContext(slug);
  if (!grantsTab(permissions, "settings")) forbidden();
  const org = await (await getServerApi()).organization.get({ orgId: current.id });
  return (
    <OrgSettings
      organization={{ name: org.name, description: org.description ?? "", timezone: org.timezone, currency: org.currency, slug: org.slug }}
    />
  );
}
