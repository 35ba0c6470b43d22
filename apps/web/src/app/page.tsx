import { getTranslations } from "next-intl/server";
import { HealthCard } from "@/components/health-card";

// The status must be live on every request, never prerendered at build time.
export const dynamic = "force-dynamic";

export default async function HomePage() {
  const t = await getTranslations("Home");
  return (
    <div className="stack">
      <section className="intro">
        <h1 className="intro__title">{t("title")}</h1>
        <p className="intro__text">{t("intro")}</p>
      </section>
      <HealthCard />
    </div>
  );
}
