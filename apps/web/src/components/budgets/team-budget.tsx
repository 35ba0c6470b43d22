"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useOrg } from "@/components/orgs/org-context";
import { useTRPC } from "@/trpc/react";
import { SpendBar } from "./spend-bar";

/** A team's budget this period on its page: nothing when it has none or the caller can't see budgets. */
export function TeamBudget({ teamId }: { teamId: string }) {
  const t = useTranslations("Budgets");
  const { org, can } = useOrg();
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.budget.list.queryOptions({ orgId: org.id, scope: "team" }), enabled: can("budget:read") });
  const budget = list.data?.items.find((b) => b.scopeId === teamId);
  if (!budget) return null;
  return (
    <section className="stack stack--tight" aria-labelledby="team-budget-title" data-testid="team-budget">
      <h3 className="section-title" id="team-budget-title">
        {t("teamBudget")}
      </h3>
      <SpendBar spent={budget.spent} limit={budget.effectiveLimit} currency={budget.currency} />
    </section>
  );
}
