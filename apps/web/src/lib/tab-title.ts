import "server-only";

import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

type Tab = "members" | "invitations" | "teams" | "apiKeys" | "budgets" | "usage" | "audit" | "permissions" | "settings";

/**
 * `generateMetadata` of an organization tab: its name, which the org layout's title template
 * completes as "Members · Acme Robotics".
 */
export function tabTitle(tab: Tab) {
  return async (): Promise<Metadata> => ({ title: (await getTranslations("Org"))(`tabs.${tab}`) });
}
