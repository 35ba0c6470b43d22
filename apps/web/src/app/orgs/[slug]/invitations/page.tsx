import { forbidden } from "next/navigation";
import { InvitationsPanel } from "@/components/orgs/invitations-panel";
import { grantsTab } from "@/lib/tab-permissions";
import { tabTitle } from "@/lib/tab-title";
import { getOrgContext } from "@/server/org";

export const generateMetadata = tabTitle("invitations");

export default async function InvitationsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { permissions } = await getOrgContext(slug);
  // Without member:invite the tab is hidden; opened anyway, the page names what is missing.
  if (!grantsTab(permissions, "invitations")) forbidden();
  return <InvitationsPanel />;
}
