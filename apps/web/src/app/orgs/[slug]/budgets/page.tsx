import { forbidden } from "next/navigation";
import { BudgetsPanel } from "@/components/budgets/budgets-panel";
import { grantsTab } from "@/lib/tab-permissions";
import { tabTitle } from "@/lib/tab-title";
import { getOrgContext } from "@/server/org";

type Params = { params: Promise<{ slug: string }> };

export const generateMetadata = tabTitle("budgets");

export default async function BudgetsPage({ params }: Params) {
  const { slug } = await params;
  const { permissions } = await getOrgContext(slug);
  // Hidden from the sidebar without budget:read; opened anyway, the 403 names what is missing.
  if (!grantsTab(permissions, "budgets")) forbidden();
  return <BudgetsPanel />;
}
