import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { DeletedOrganizations } from "@/components/orgs/deleted-organizations";
import { OrganizationCard } from "@/components/orgs/organization-card";
import { EmptyState } from "@/components/orgs/ui";
import { requireUser } from "@/server/identity";
import { getServerApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Orgs");
  return { title: t("title") };
}

export default async function OrganizationsPage() {
  await requireUser("/orgs");
  const [t, api] = await Promise.all([getTranslations("Orgs"), getServerApi()]);
  const [organizations, deleted] = await Promise.all([api.organization.listMine(), api.organization.listDeleted()]);
  return (
    <div className="stack">
      <div className="page-head">
        <div className="intro">
          <h1 className="intro__title">{t("title")}</h1>
          <p className="intro__text">{t("intro")}</p>
        </div>
        {organizations.length > 0 ? (
          <Link href="/orgs/new" className="button" data-testid="create-org-link">
            {t("create")}
          </Link>
        ) : null}
      </div>
      {organizations.length === 0 ? (
        <EmptyState
          testId="orgs-empty"
          title={t("emptyTitle")}
          body={t("emptyBody")}
          action={
            <Link href="/orgs/new" className="button" data-testid="create-org-link">
              {t("create")}
            </Link>
          }
        />
      ) : (
        <ul className="org-grid" data-testid="org-list">
          {organizations.map((organization) => (
            <OrganizationCard key={organization.id} organization={organization} />
          ))}
        </ul>
      )}
      <DeletedOrganizations initial={deleted} />
    </div>
  );
}
