"use client";

import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@aihub/ui";
import { LockIcon } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { restrictedTabOf, TAB_PERMISSIONS } from "@/lib/tab-permissions";
import { useOrg } from "./org-context";

/**
 * The 403 page of an organization's tab: the caller is a member but lacks the permission, so it
 * says so and names what is missing (a member may ask for it). Not-members never get here: the
 * layout answers 404 for them, so an organization's existence is not revealed.
 */
export function NoAccess() {
  const t = useTranslations("NoAccess");
  const { org } = useOrg();
  const tab = restrictedTabOf(usePathname());
  const permissions: readonly string[] = tab ? TAB_PERMISSIONS[tab] : [];
  return (
    <Card data-testid="no-access" aria-labelledby="no-access-title">
      <CardHeader>
        <CardTitle id="no-access-title" className="flex items-center gap-2">
          <LockIcon aria-hidden="true" className="size-5" />
          {t("title")}
        </CardTitle>
        <CardDescription>{t("body")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {permissions.length > 0 ? (
          <ul className="flex flex-wrap gap-2" data-testid="no-access-permissions">
            {permissions.map((permission) => (
              <li key={permission}>
                <code className="rounded-sm bg-muted px-2 py-1 text-sm">{permission}</code>
              </li>
            ))}
          </ul>
        ) : null}
        <p className="text-sm">
          <Link href={`/orgs/${org.slug}`}>{t("back")}</Link>
        </p>
      </CardContent>
    </Card>
  );
}
