import Link from "next/link";
import { useTranslations } from "next-intl";
import { RoleBadge } from "./ui";

export interface OrganizationCardProps {
  organization: { id: string; name: string; slug: string; plan: string; role: string };
}

/** One organization the user belongs to: name, slug, their role and the plan; links to it. */
export function OrganizationCard({ organization }: OrganizationCardProps) {
  const t = useTranslations("Orgs");
  return (
    <li className="org-card" data-testid="org-card" data-slug={organization.slug}>
      <div className="org-card__head">
        <Link href={`/orgs/${organization.slug}`} className="org-card__name" data-testid="org-card-link">
          {organization.name}
        </Link>
        <RoleBadge role={organization.role} />
      </div>
      <p className="muted org-card__slug" data-testid="org-card-slug">
        /{organization.slug}
      </p>
      <p className="org-card__plan">
        <span className="muted">{t("plan")}</span> <span data-testid="org-card-plan">{organization.plan}</span>
      </p>
    </li>
  );
}
