import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { LoadingBlock } from "@/components/orgs/ui";
import { EffectivePermissions } from "@/components/permissions/effective-permissions";
import { grantsTab } from "@/lib/tab-permissions";
import { tabTitle } from "@/lib/tab-title";
import { getOrgContext } from "@/server/org";

type Params = { params: Promise<{ slug: string; userId: string }> };

export const generateMetadata = tabTitle("permissions");

/**
 * A member's effective permissions: `me` (or one's own user id) for every member; anyone
 * else's with member:update_permissions, as the API decides.
 */
export default async function MemberPermissionsPage({ params }: Params) {
  const { slug, userId } = await params;
  const { permissions, userId: selfId } = await getOrgContext(slug);
  const self = userId === "me" || userId === selfId;
  if (!self && !grantsTab(permissions, "member-permissions")) forbidden();
  return (
    <Suspense fallback={<LoadingBlock testId="permissions-loading" />}>
      <EffectivePermissions userId={self ? null : userId} />
    </Suspense>
  );
}
