import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { SiteHeader } from "@/components/site-header";
import { TRPCReactProvider } from "@/trpc/react";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Metadata");
  return { title: t("title"), description: t("description") };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body>
        {/* Inherits locale, messages and time zone from src/i18n/request.ts. */}
        <NextIntlClientProvider>
          <TRPCReactProvider>
            <SiteHeader />
            <main className="main">{children}</main>
          </TRPCReactProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
