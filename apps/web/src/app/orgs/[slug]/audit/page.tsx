import { ZAuditAction, ZAuditTargetType } from "@aihub/api/schemas";
import { Suspense } from "react";
import { AuditPanel } from "@/components/audit/audit-panel";
import { NoAccess } from "@/components/orgs/no-access";
import { LoadingBlock } from "@/components/orgs/ui";
import { tabTitle } from "@/lib/tab-title";
import { getOrgContext } from "@/server/org";

type Params = { params: Promise<{ slug: string }> };

export const generateMetadata = tabTitle("audit");

export default async function AuditPage({ params }: Params) {
  const { slug } = await params;
  const { org, permissions } = await getOrgContext(slug);
  if (!permissions.includes("audit:read")) return <NoAccess permissions={["audit:read"]} orgSlug={org.slug} />;
  // The vocabulary comes from the API's schema, so the filter offers exactly what it accepts.
  return (
    <Suspense fallback={<LoadingBlock testId="audit-loading" />}>
      <AuditPanel actions={[...ZAuditAction.options]} targetTypes={[...ZAuditTargetType.options]} />
    </Suspense>
  );
}
