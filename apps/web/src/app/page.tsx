import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { FormAlert } from "@/components/form/form-alert";
import { HealthCard } from "@/components/health-card";
import { getViewer, type Viewer } from "@/trpc/server";

// The status must be live on every request, never prerendered at build time.
export const dynamic = "force-dynamic";

async function loadViewer(): Promise<Viewer | null> {
  // The status page must render even when the user can't be loaded (e.g. the database is down).
  return getViewer().catch(() => null);
}

export default async function HomePage() {
  const [t, viewer] = await Promise.all([getTranslations("Home"), loadViewer()]);
  return (
    <div className="stack">
      <section className="intro">
        <h1 className="intro__title">{t("title")}</h1>
        <p className="intro__text">{t("intro")}</p>
        {viewer ? <p className="intro__text">{t("greeting", { email: viewer.user.email })}</p> : null}
      </section>
      {viewer && !viewer.user.emailVerifiedAt ? (
        <FormAlert tone="info" testId="verify-email-notice">
          <strong>{t("verifyTitle")}</strong>
          <p>{t("verifyBody", { email: viewer.user.email })}</p>
          <p>
            <Link href="/account">{t("verifyAction")}</Link>
          </p>
        </FormAlert>
      ) : null}
      <HealthCard />
    </div>
  );
}
