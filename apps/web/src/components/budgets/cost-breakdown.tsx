"use client";

import { useFormatter, useLocale, useTranslations } from "next-intl";
import { formatMoney, formatShare, shareBasisPoints } from "@/lib/money";

export type UsageGroup = "day" | "team" | "member" | "model" | "apiKey";

export interface UsageTotalsRow {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cost: string;
}

export interface CostBreakdownItem extends UsageTotalsRow {
  key: string | null;
  label: string | null;
}

export interface CostBreakdownProps {
  currency: string;
  by: UsageGroup;
  items: CostBreakdownItem[];
  totals: UsageTotalsRow;
}

/**
 * Cost per group over the explorer's range, each row's share of the total, and the total row;
 * usage with no team/member/key is its own bucket. Shares are computed in bigint basis points.
 */
export function CostBreakdown({ currency, by, items, totals }: CostBreakdownProps) {
  const t = useTranslations("Usage.breakdown");
  const format = useFormatter();
  const locale = useLocale();
  const money = (v: string) => formatMoney(v, currency, locale);
  const name = (item: CostBreakdownItem) => (item.key === null ? t(`none.${by}`) : (item.label ?? item.key));
  return (
    <div className="overflow-x-auto rounded-md border border-border">
      <table className="w-full text-sm" data-testid="cost-breakdown">
        <caption className="sr-only">{t("caption")}</caption>
        <thead className="bg-muted/50 text-left">
          <tr>
            <th scope="col" className="px-3 py-2">
              {t(`group.${by}`)}
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              {t("requests")}
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              {t("inputTokens")}
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              {t("outputTokens")}
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              {t("cost")}
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              {t("share")}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 ? (
            <tr>
              <td colSpan={6} className="px-3 py-6 text-center text-muted-foreground">
                {t("empty")}
              </td>
            </tr>
          ) : (
            items.map((item) => (
              <tr key={item.key ?? "none"} className="border-t border-border" data-testid="cost-breakdown-row">
                <th scope="row" className="px-3 py-2 text-left font-normal">
                  {name(item)}
                </th>
                <td className="px-3 py-2 text-right tabular-nums">{format.number(item.requests)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{format.number(item.inputTokens)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{format.number(item.outputTokens)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{money(item.cost)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatShare(shareBasisPoints(item.cost, totals.cost))}</td>
              </tr>
            ))
          )}
        </tbody>
        <tfoot>
          <tr className="border-t border-border font-semibold" data-testid="cost-breakdown-total">
            <th scope="row" className="px-3 py-2 text-left">
              {t("total")}
            </th>
            <td className="px-3 py-2 text-right tabular-nums">{format.number(totals.requests)}</td>
            <td className="px-3 py-2 text-right tabular-nums">{format.number(totals.inputTokens)}</td>
            <td className="px-3 py-2 text-right tabular-nums">{format.number(totals.outputTokens)}</td>
            <td className="px-3 py-2 text-right tabular-nums">{money(totals.cost)}</td>
            <td className="px-3 py-2 text-right tabular-nums">{BigInt(totals.cost) === 0n ? formatShare(0n) : formatShare(10_000n)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
