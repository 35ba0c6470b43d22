"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";

/** Catches errors thrown while rendering a page; the header and layout stay usable. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("Error");
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <section className="card card--centered" role="alert" data-testid="error-page">
      <h1 className="card__title">{t("title")}</h1>
      <p>{t("body")}</p>
      {/* The digest matches the server log entry; the message itself may be internal. */}
      {error.digest ? <p className="muted">{t("reference", { digest: error.digest })}</p> : null}
      <button type="button" className="button" onClick={reset}>
        {t("retry")}
      </button>
    </section>
  );
}
