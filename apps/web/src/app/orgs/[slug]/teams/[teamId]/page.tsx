import { notFound } from "next/navigation";
import { z } from "zod";
import { TeamDetail } from "@/components/orgs/team-detail";

export default async function TeamPage({ params }: { params: Promise<{ slug: string; teamId: string }> }) {
  const { teamId } = await params;
  if (!z.uuid().safeParse(teamId).success) notFound();
  return <TeamDetail teamId={teamId} />;
}
