import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireUser } from "@/server/identity";
import { AcceptInvitation } from "./accept-invitation";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("AcceptInvitation");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AcceptInvitationPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  const value = typeof token === "string" ? token : "";
  // Signed out: sign in (or sign up from there) and come back to this very link.
  await requireUser(`/invitations/accept?token=${encodeURIComponent(value)}`);
  const t = await getTranslations("AcceptInvitation");
  return (
    <section className="card card--centered" aria-labelledby="accept-title">
      <h1 className="card__title" id="accept-title">
        {t("title")}
      </h1>
      <AcceptInvitation token={value} />
    </section>
  );
}
