import { notFound } from "next/navigation";
import { InvitationsPanel } from "@/components/orgs/invitations-panel";
import { tabTitle } from "@/lib/tab-title";
import { getOrgContext } from "@/server/org";

export const generateMetadata = tabTitle("invitations");

export default async function InvitationsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { permissions } = await getOrgContext(slug);
  // Without member:invite the tab is hidden, and the page is not there either.
  if (!permissions.includes("member:invite")) notFound();
  return <InvitationsPanel />;
}
