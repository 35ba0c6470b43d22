import { NoAccess } from "@/components/orgs/no-access";
import { OrgSettings } from "@/components/orgs/org-settings";
import { tabTitle } from "@/lib/tab-title";
import { getOrgContext } from "@/server/org";
import { getServerApi } from "@/trpc/server";

export const generateMetadata = tabTitle("settings");

export default async function SettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { org: current, permissions } = await getOrgContext(slug);
  const needed = ["org:update", "org:delete", "org:transfer"];
  if (!needed.some((p) => (permissions as readonly string[]).includes(p))) return <NoAccess permissions={needed} orgSlug={current.slug} />;
  const org = await (await getServerApi()).organization.get({ orgId: current.id });
  return (
    <OrgSettings
      organization={{ name: org.name, description: org.description ?? "", timezone: org.timezone, currency: org.currency, slug: org.slug }}
    />
  );
}
