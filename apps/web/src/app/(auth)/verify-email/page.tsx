import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getRequestIdentity } from "@/server/identity";
import { VerifyEmail } from "./verify-email";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("VerifyEmail");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Where the emailed link lands: `/verify-email?token=…`. Works signed in or out. */
export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  const { identity } = await getRequestIdentity();
  const t = await getTranslations("VerifyEmail");
  return (
    <section className="card auth__card" aria-labelledby="verify-email-title">
      <h1 className="card__title" id="verify-email-title">
        {t("title")}
      </h1>
      <VerifyEmail token={typeof token === "string" ? token : ""} signedIn={identity !== null} />
    </section>
  );
}
