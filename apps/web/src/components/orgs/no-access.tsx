import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@aihub/ui";
import { LockIcon } from "lucide-react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";

/**
 * A tab of an organization the caller belongs to but lacks the permission for: says so and names
 * what is missing (a member may ask for it). Not-members never get here: the layout answers 404
 * for them, so an organization's existence is not revealed.
 */
export async function NoAccess({ permissions, orgSlug }: { permissions: readonly string[]; orgSlug: string }) {
  const t = await getTranslations("NoAccess");
  return (
    <Card data-testid="no-access" role="alert" aria-labelledby="no-access-title">
      <CardHeader>
        <CardTitle id="no-access-title" className="flex items-center gap-2">
          <LockIcon aria-hidden="true" className="size-5" />
          {t("title")}
        </CardTitle>
        <CardDescription>{t("body")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <ul className="flex flex-wrap gap-2" data-testid="no-access-permissions">
          {permissions.map((permission) => (
            <li key={permission}>
              <code className="rounded-sm bg-muted px-2 py-1 text-sm">{permission}</code>
            </li>
          ))}
        </ul>
        <p className="text-sm">
          <Link href={`/orgs/${orgSlug}`}>{t("back")}</Link>
        </p>
      </CardContent>
    </Card>
  );
}
