import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { ApiKeysPanel } from "@/components/api-keys/api-keys-panel";
import { LoadingBlock } from "@/components/orgs/ui";
import { grantsTab } from "@/lib/tab-permissions";
import { tabTitle } from "@/lib/tab-title";
import { getOrgContext } from "@/server/org";

type Params = { params: Promise<{ slug: string }> };

export const generateMetadata = tabTitle("apiKeys");

export default async function ApiKeysPage({ params }: Params) {
  const { slug } = await params;
  const { permissions } = await getOrgContext(slug);
  // The tab is hidden without the permission; a member who opens it anyway is told what is missing.
  if (!grantsTab(permissions, "api-keys")) forbidden();
  // The table keeps its sort and page in the URL (nuqs reads the search params).
  return (
    <Suspense fallback={<LoadingBlock testId="api-keys-loading" />}>
      <ApiKeysPanel />
    </Suspense>
  );
}
