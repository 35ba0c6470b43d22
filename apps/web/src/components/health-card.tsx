import type { RouterOutputs } from "@aihub/api";
import { unstable_rethrow } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { getServerApi } from "@/trpc/server";

type Health = RouterOutputs["health"];

async function loadHealth(): Promise<Health | null> {
  try {
    return await (await getServerApi()).health();
  } catch (error) {
    // Let Next's own control-flow errors through; anything else becomes the error state,
    // because a status page that crashes when the system is unhealthy is no use.
    unstable_rethrow(error);
    console.error(JSON.stringify({ level: "error", msg: "health check failed", error: String(error) }));
    return null;
  }
}

export async function HealthCard() {
  const [health, t, format] = await Promise.all([loadHealth(), getTranslations("Health"), getFormatter()]);

  if (!health) {
    return (
      <section className="card card--error" role="alert" data-testid="health-error">
        <h2 className="card__title">{t("errorTitle")}</h2>
        <p>{t("errorBody")}</p>
      </section>
    );
  }

  const { status, database, checkedAt } = health;
  return (
    <section className="card" aria-labelledby="health-title" data-testid="health-card">
      <h2 className="card__title" id="health-title">
        {t("title")}
      </h2>
      <dl className="facts">
        <div className="facts__row">
          <dt>{t("status")}</dt>
          <dd>
            <span className={`badge badge--${status}`} data-testid="health-status">
              {status}
            </span>{" "}
            <span className="facts__note">{t(status)}</span>
          </dd>
        </div>
        <div className="facts__row">
          <dt>{t("backend")}</dt>
          <dd>
            <code data-testid="health-backend">{database.backend}</code>
          </dd>
        </div>
        <div className="facts__row">
          <dt>{t("serverVersion")}</dt>
          <dd data-testid="health-server-version">{database.serverVersion ?? t("unknown")}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("latency")}</dt>
          <dd data-testid="health-latency">{database.latencyMs === null ? t("unknown") : t("latencyValue", { ms: database.latencyMs })}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("checkedAt")}</dt>
          <dd>
            <time dateTime={checkedAt.toISOString()} data-testid="health-checked-at">
              {format.dateTime(checkedAt, { dateStyle: "medium", timeStyle: "long" })}
            </time>
          </dd>
        </div>
      </dl>
    </section>
  );
}
