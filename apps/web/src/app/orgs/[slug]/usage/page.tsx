import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { UsagePanel } from "@/components/budgets/usage-panel";
import { LoadingBlock } from "@/components/orgs/ui";
import { grantsTab } from "@/lib/tab-permissions";
import { tabTitle } from "@/lib/tab-title";
import { getOrgContext } from "@/server/org";

type Params = { params: Promise<{ slug: string }> };

export const generateMetadata = tabTitle("usage");

export default async function UsagePage({ params }: Params) {
  const { slug } = await params;
  const { permissions } = await getOrgContext(slug);
  if (!grantsTab(permissions, "usage")) forbidden();
  // The explorer keeps its range, grouping and filters in the URL (nuqs reads the search params).
  return (
    <Suspense fallback={<LoadingBlock testId="usage-loading" />}>
      <UsagePanel />
    </Suspense>
  );
}
