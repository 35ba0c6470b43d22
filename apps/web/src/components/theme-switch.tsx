"use client";

import { ThemeToggle } from "@aihub/ui";
import { useTranslations } from "next-intl";

/** The header's light / dark / system switch. */
export function ThemeSwitch() {
  const t = useTranslations("Header");
  return <ThemeToggle labels={{ toggle: t("theme"), light: t("themeLight"), dark: t("themeDark"), system: t("themeSystem") }} />;
}
