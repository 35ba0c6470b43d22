import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requireUser } from "@/server/identity";
import { CreateOrganizationForm } from "./create-organization-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("CreateOrg");
  return { title: t("title") };
}

export default async function NewOrganizationPage() {
  await requireUser("/orgs/new");
  const [t, orgs] = await Promise.all([getTranslations("CreateOrg"), getTranslations("Orgs")]);
  return (
    <div className="stack">
      <nav aria-label={orgs("breadcrumbs")} className="breadcrumbs">
        <Link href="/orgs">{orgs("title")}</Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{t("title")}</span>
      </nav>
      <section className="card" aria-labelledby="create-org-title">
        <h1 className="card__title" id="create-org-title">
          {t("title")}
        </h1>
        <p className="muted">{t("intro")}</p>
        <CreateOrganizationForm />
      </section>
    </div>
  );
}
