import { ZAuditAction, ZAuditTargetType } from "@aihub/api/schemas";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { AuditPanel } from "@/components/audit/audit-panel";
import { LoadingBlock } from "@/components/orgs/ui";
import { grantsTab } from "@/lib/tab-permissions";
import { tabTitle } from "@/lib/tab-title";
import { getOrgContext } from "@/server/org";

type Params = { params: Promise<{ slug: string }> };

export const generateMetadata = tabTitle("audit");

export default async function AuditPage({ params }: Params) {
  const { slug } = await params;
  const { permissions } = await getOrgContext(slug);
  if (!grantsTab(permissions, "audit")) forbidden();
  // The vocabulary comes from the API's schema, so the filter offers exactly what it accepts.
  return (
    <Suspense fallback={<LoadingBlock testId="audit-loading" />}>
      <AuditPanel actions={[...ZAuditAction.options]} targetTypes={[...ZAuditTargetType.options]} />
    </Suspense>
  );
}
