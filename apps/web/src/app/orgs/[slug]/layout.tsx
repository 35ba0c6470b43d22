import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { OrgProvider } from "@/components/orgs/org-context";
import { OrgTabs } from "@/components/orgs/org-tabs";
import { RoleBadge } from "@/components/orgs/ui";
import { getOrgContext } from "@/server/org";

export const dynamic = "force-dynamic";

/** Tabs name themselves (`tabTitle`); this adds the organization: "Members · Acme Robotics". */
export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { org } = await getOrgContext((await params).slug);
  return { title: { template: `%s · ${org.name}`, default: org.name } };
}

/** Every page of one organization: breadcrumbs, its name and the caller's role, the section sidebar. */
export default async function OrganizationLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const [context, t] = await Promise.all([getOrgContext(slug), getTranslations("Org")]);
  const { org, permissions } = context;
  const granted = new Set(permissions);
  // The sidebar's sections, in the order of the console's plan; each only for those who can use it.
  const tabs = [
    { href: `/orgs/${org.slug}`, label: t("tabs.overview"), key: "overview" },
    { href: `/orgs/${org.slug}/members`, label: t("tabs.members"), key: "members" },
    { href: `/orgs/${org.slug}/teams`, label: t("tabs.teams"), key: "teams" },
    ...(granted.has("member:invite") ? [{ href: `/orgs/${org.slug}/invitations`, label: t("tabs.invitations"), key: "invitations" }] : []),
    ...(granted.has("api_key:read") ? [{ href: `/orgs/${org.slug}/api-keys`, label: t("tabs.apiKeys"), key: "api-keys" }] : []),
    ...(granted.has("budget:read") ? [{ href: `/orgs/${org.slug}/budgets`, label: t("tabs.budgets"), key: "budgets" }] : []),
    ...(granted.has("usage:read") ? [{ href: `/orgs/${org.slug}/usage`, label: t("tabs.usage"), key: "usage" }] : []),
    ...(granted.has("audit:read") ? [{ href: `/orgs/${org.slug}/audit`, label: t("tabs.audit"), key: "audit" }] : []),
    ...(granted.has("org:update") || granted.has("org:delete") || granted.has("org:transfer")
      ? [{ href: `/orgs/${org.slug}/settings`, label: t("tabs.settings"), key: "settings" }]
      : []),
  ];
  return (
    <OrgProvider value={context}>
      <div className="stack">
        <div className="stack stack--tight">
          <nav aria-label={t("breadcrumbs")} className="breadcrumbs" data-testid="breadcrumbs">
            <Link href="/orgs">{t("organizations")}</Link>
            <span aria-hidden="true">/</span>
            <Link href={`/orgs/${org.slug}`} aria-current="page">
              {org.name}
            </Link>
          </nav>
          <div className="page-head">
            <h1 className="intro__title" data-testid="org-name">
              {org.name}
            </h1>
            <RoleBadge role={org.role} testId="org-role" />
          </div>
        </div>
        <div className="grid gap-6 md:grid-cols-[11rem_minmax(0,1fr)]">
          <OrgTabs tabs={tabs} label={t("sections")} />
          <div className="grid min-w-0 content-start gap-6">{children}</div>
        </div>
      </div>
    </OrgProvider>
  );
}
