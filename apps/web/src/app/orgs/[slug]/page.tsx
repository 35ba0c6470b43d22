import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { getOrgContext } from "@/server/org";
import { getServerApi } from "@/trpc/server";

export default async function OrganizationOverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { org: current } = await getOrgContext(slug);
  const [t, format, api] = await Promise.all([getTranslations("Org"), getFormatter(), getServerApi()]);
  const org = await api.organization.get({ orgId: current.id });
  const counts = [
    { key: "members", label: t("counts.members"), value: org.counts.members, href: `/orgs/${org.slug}/members` },
    { key: "teams", label: t("counts.teams"), value: org.counts.teams, href: `/orgs/${org.slug}/teams` },
    { key: "invitations", label: t("counts.pendingInvitations"), value: org.counts.pendingInvitations, href: null },
  ];
  return (
    <div className="stack">
      <ul className="stat-grid" data-testid="org-counts">
        {counts.map((count) => (
          <li key={count.key} className="stat" data-testid={`count-${count.key}`}>
            <span className="stat__value">{format.number(count.value)}</span>
            {count.href ? <Link href={count.href}>{count.label}</Link> : <span className="muted">{count.label}</span>}
          </li>
        ))}
      </ul>
      <section className="card" aria-labelledby="org-facts-title">
        <h2 className="card__title" id="org-facts-title">
          {t("overviewTitle")}
        </h2>
        {org.description ? <p>{org.description}</p> : null}
        <dl className="facts">
          <div className="facts__row">
            <dt>{t("plan")}</dt>
            <dd data-testid="org-plan">{org.plan}</dd>
          </div>
          <div className="facts__row">
            <dt>{t("slug")}</dt>
            <dd>
              <code>{org.slug}</code>
            </dd>
          </div>
          <div className="facts__row">
            <dt>{t("timezone")}</dt>
            <dd data-testid="org-timezone">{org.timezone}</dd>
          </div>
          <div className="facts__row">
            <dt>{t("currency")}</dt>
            <dd>{org.currency}</dd>
          </div>
          <div className="facts__row">
            <dt>{t("created")}</dt>
            <dd>{format.dateTime(org.createdAt, { dateStyle: "medium", timeZone: org.timezone })}</dd>
          </div>
        </dl>
      </section>
    </div>
  );
}
