import { TeamsPanel } from "@/components/orgs/teams-panel";

export default function TeamsPage() {
  return <TeamsPanel />;
}
