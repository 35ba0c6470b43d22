"use client";

import { ThemeProvider, Toaster, TooltipProvider } from "@aihub/ui";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import type { ReactNode } from "react";

/**
 * Browser-side context of every page: the theme (a `dark` class on <html>, following the system
 * until the user picks one), URL state for tables (nuqs), tooltips and toasts. `nonce` lets
 * next-themes' inline script (which sets the class before paint) pass the CSP.
 */
export function Providers({ nonce, children }: { nonce: string | undefined; children: ReactNode }) {
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
      <NuqsAdapter>
        <TooltipProvider delayDuration={300}>
          {children}
          <Toaster />
        </TooltipProvider>
      </NuqsAdapter>
    </ThemeProvider>
  );
}
