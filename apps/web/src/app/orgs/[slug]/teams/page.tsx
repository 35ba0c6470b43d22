import { TeamsPanel } from "@/components/orgs/teams-panel";
import { tabTitle } from "@/lib/tab-title";

export const generateMetadata = tabTitle("teams");

export default function TeamsPage() {
  return <TeamsPanel />;
}
