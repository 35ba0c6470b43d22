"use client";

import { Badge } from "@aihub/ui";
import { useLocale, useTranslations } from "next-intl";
import { formatMoney } from "@/lib/money";
import { SpendBar } from "./spend-bar";

export interface TreeNode {
  budgetId: string;
  scope: "organization" | "team" | "member" | "api_key";
  name: string | null;
  parentBudgetId: string | null;
  limit: string;
  effectiveLimit: string;
  spent: string;
  hardLimit: boolean;
}
export interface TreeWarning {
  kind: "CHILD_ABOVE_PARENT" | "CHILDREN_EXCEED_PARENT";
  budgetId: string;
  parentBudgetId?: string;
  limit?: string;
  parentLimit: string;
  childrenTotal?: string;
}

/** Every budget under the nearest one above it, and what doesn't fit. */
export function AllocationTree({ currency, nodes, warnings }: { currency: string; nodes: TreeNode[]; warnings: TreeWarning[] }) {
  const t = useTranslations("Budgets");
  const locale = useLocale();
  const money = (v: string | undefined) => (v === undefined ? "" : formatMoney(v, currency, locale));
  const nameOf = (budgetId: string | undefined) => {
    const node = nodes.find((n) => n.budgetId === budgetId);
    return node ? (node.name ?? t(`scope.${node.scope}`)) : "";
  };
  const children = (parent: string | null) => nodes.filter((n) => n.parentBudgetId === parent);
  const render = (list: TreeNode[]) => (
    <ul className="grid gap-2 border-s border-border ps-4">
      {list.map((node) => (
        <li key={node.budgetId} className="grid gap-2" data-testid="allocation-node">
          <div className="flex flex-wrap items-center gap-3">
            <span className="font-medium">{node.name ?? t(`scope.${node.scope}`)}</span>
            <Badge>{t(`scope.${node.scope}`)}</Badge>
            <SpendBar spent={node.spent} limit={node.effectiveLimit} currency={currency} />
          </div>
          {children(node.budgetId).length > 0 ? render(children(node.budgetId)) : null}
        </li>
      ))}
    </ul>
  );
  return (
    <div className="grid gap-3">
      {warnings.length > 0 ? (
        <section
          aria-label={t("tree.warnings")}
          className="grid gap-1 rounded-md border border-warning bg-warning-bg p-3"
          data-testid="allocation-warnings"
        >
          {warnings.map((w) => (
            <p key={`${w.kind}-${w.budgetId}`} className="text-sm text-warning">
              {w.kind === "CHILD_ABOVE_PARENT"
                ? t("tree.CHILD_ABOVE_PARENT", { name: nameOf(w.budgetId), limit: money(w.limit), parentLimit: money(w.parentLimit) })
                : t("tree.CHILDREN_EXCEED_PARENT", {
                    name: nameOf(w.budgetId),
                    childrenTotal: money(w.childrenTotal),
                    parentLimit: money(w.parentLimit),
                  })}
            </p>
          ))}
        </section>
      ) : null}
      {render(children(null))}
    </div>
  );
}
