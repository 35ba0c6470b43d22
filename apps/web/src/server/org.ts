import "server-only";

import { notFound } from "next/navigation";
import { cache } from "react";
import { getServerApi } from "@/trpc/server";
import { requireUser } from "./identity";

/**
 * The organization named by a URL slug, as the signed-in user sees it: their membership (from
 * `organization.listMine`) and what they may do there (`me.permissions`). Not a member, or no
 * such organization → the 404 page (existence is not leaked). Cached per request, so the
 * layout and the page share one lookup.
 */
export const getOrgContext = cache(async (slug: string) => {
  const identity = await requireUser(`/orgs/${encodeURIComponent(slug)}`);
  const api = await getServerApi();
  const org = (await api.organization.listMine()).find((candidate) => candidate.slug === slug);
  if (!org) notFound();
  const access = await api.me.permissions({ orgId: org.id });
  if (!access.role) notFound();
  return {
    userId: identity.userId,
    org: { id: org.id, slug: org.slug, name: org.name, plan: org.plan, role: access.role },
    permissions: access.permissions,
    ledTeamIds: access.ledTeamIds,
  };
});

export type OrgContextValue = Awaited<ReturnType<typeof getOrgContext>>;
