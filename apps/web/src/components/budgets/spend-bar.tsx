"use client";

import { useLocale, useTranslations } from "next-intl";
import { formatMoney, usedPercent } from "@/lib/money";

/** Spend against a limit as a labelled meter with the exact amounts beside it. */
export function SpendBar({ spent, limit, currency, testId }: { spent: string; limit: string; currency: string; testId?: string }) {
  const t = useTranslations("Budgets");
  const locale = useLocale();
  const percent = usedPercent(spent, limit);
  const text = t("spendOf", { spent: formatMoney(spent, currency, locale), limit: formatMoney(limit, currency, locale) });
  return (
    <div className="grid min-w-40 gap-1" data-testid={testId}>
      {/* The bar is decoration; the amounts and the percent are text. */}
      <div aria-hidden="true" className="h-2 w-full overflow-hidden rounded-full bg-accent">
        <div
          className={percent >= 100 ? "h-full bg-destructive" : percent >= 80 ? "h-full bg-warning" : "h-full bg-primary"}
          style={{ width: `${percent}%` }}
        />
      </div>
      <span className="text-xs tabular-nums text-muted-foreground">
        {text} · {t("usedPercent", { percent })}
      </span>
    </div>
  );
}
