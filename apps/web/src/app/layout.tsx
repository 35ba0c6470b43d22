import type { Metadata } from "next";
import { headers } from "next/headers";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { SiteHeader } from "@/components/site-header";
import { TRPCReactProvider } from "@/trpc/react";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Metadata");
  return { title: t("title"), description: t("description") };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, t, headerList] = await Promise.all([getLocale(), getTranslations("Header"), headers()]);
  // The per-response nonce launch.mjs put in the request's policy (absent under `next dev`).
  const nonce = /'nonce-([^']+)'/.exec(headerList.get("content-security-policy") ?? "")?.[1];
  return (
    // next-themes sets the theme class on <html> before React hydrates.
    <html lang={locale} suppressHydrationWarning>
      <body>
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-sm focus:bg-card focus:px-3 focus:py-2 focus:shadow-card"
          data-testid="skip-link"
        >
          {t("skipToContent")}
        </a>
        {/* Inherits locale, messages and time zone from src/i18n/request.ts. */}
        <NextIntlClientProvider>
          <Providers nonce={nonce}>
            <TRPCReactProvider>
              <SiteHeader />
              <main id="main" tabIndex={-1} className="main">
                {children}
              </main>
            </TRPCReactProvider>
          </Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
