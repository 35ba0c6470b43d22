import { InvitationsPanel } from "@/components/orgs/invitations-panel";
import { NoAccess } from "@/components/orgs/no-access";
import { tabTitle } from "@/lib/tab-title";
import { getOrgContext } from "@/server/org";

export const generateMetadata = tabTitle("invitations");

export default async function InvitationsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { org, permissions } = await getOrgContext(slug);
  // Without member:invite the tab is hidden; opened anyway, the page names what is missing.
  if (!permissions.includes("member:invite")) return <NoAccess permissions={["member:invite"]} orgSlug={org.slug} />;
  return <InvitationsPanel />;
}
