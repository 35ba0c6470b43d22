import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function NotFound() {
  const t = await getTranslations("NotFound");
  return (
    <section className="card card--centered" data-testid="not-found">
      <p className="card__eyebrow">404</p>
      <h1 className="card__title">{t("title")}</h1>
      <p>{t("body")}</p>
      <Link href="/" className="button">
        {t("home")}
      </Link>
    </section>
  );
}
