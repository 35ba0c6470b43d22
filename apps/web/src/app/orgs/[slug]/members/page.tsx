import { Suspense } from "react";
import { MembersPanel } from "@/components/orgs/members-panel";
import { LoadingBlock } from "@/components/orgs/ui";
import { tabTitle } from "@/lib/tab-title";

export const generateMetadata = tabTitle("members");

export default function MembersPage() {
  // The panel reads its filters from the URL (useSearchParams).
  return (
    <Suspense fallback={<LoadingBlock testId="members-loading" />}>
      <MembersPanel />
    </Suspense>
  );
}
