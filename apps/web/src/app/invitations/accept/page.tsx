import type { RouterOutputs } from "@aihub/api";
import { Badge, Card, CardContent, CardDescription, CardHeader } from "@aihub/ui";
import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getRequestIdentity } from "@/server/identity";
import { getServerApi } from "@/trpc/server";
import { AcceptInvitation } from "./accept-invitation";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("AcceptInvitation");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
type Preview = RouterOutputs["invitation"]["preview"];

const STATUS_VARIANT = { pending: "info", accepted: "success", revoked: "destructive", expired: "warning" } as const;

/** The invitation's preview, or null when the link's token matches none (or is malformed). */
async function previewOf(token: string): Promise<Preview | null> {
  if (token.length < 20 || token.length > 200) return null;
  try {
    return await (await getServerApi()).invitation.preview({ token });
  } catch (error) {
    if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") return null;
    throw error;
  }
}

/**
 * What an invitation link leads to, signed in or not: the organization, the role, who invited
 * and the invited address, and whether it can still be accepted. Signed out, sign-in and sign-up
 * come back here afterwards; signed in, accept (or decline) right here.
 */
export default async function AcceptInvitationPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  const value = typeof token === "string" ? token : "";
  const [t, roles, { identity }, preview] = await Promise.all([
    getTranslations("AcceptInvitation"),
    getTranslations("Roles"),
    getRequestIdentity(),
    previewOf(value),
  ]);
  const here = `/invitations/accept?token=${encodeURIComponent(value)}`;

  return (
    <Card className="mx-auto w-full max-w-xl" aria-labelledby="accept-title" data-testid="invitation-preview">
      <CardHeader>
        <h1 id="accept-title" className="text-xl font-semibold break-words">
          {preview ? t("titleFor", { name: preview.organization.name }) : t("title")}
        </h1>
        {preview ? <CardDescription>{t("body")}</CardDescription> : null}
      </CardHeader>
      <CardContent className="grid gap-4">
        {preview ? (
          <>
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
              <dt className="text-muted-foreground">{t("organization")}</dt>
              <dd className="font-semibold break-words" data-testid="invitation-org">
                {preview.organization.name}
              </dd>
              <dt className="text-muted-foreground">{t("role")}</dt>
              <dd data-testid="invitation-role">{roles(preview.role)}</dd>
              <dt className="text-muted-foreground">{t("invitedBy")}</dt>
              <dd className="break-words" data-testid="invitation-inviter">
                {preview.invitedBy?.name ?? t("someone")}
              </dd>
              <dt className="text-muted-foreground">{t("invitedAddress")}</dt>
              <dd className="break-all" data-testid="invitation-email">
                {preview.email}
              </dd>
              <dt className="text-muted-foreground">{t("statusLabel")}</dt>
              <dd>
                <Badge variant={STATUS_VARIANT[preview.status]} data-testid="invitation-status" data-status={preview.status}>
                  {t(`status.${preview.status}`)}
                </Badge>
              </dd>
            </dl>
            <p className="text-sm" role={preview.status === "pending" ? undefined : "alert"} data-testid="invitation-status-message">
              {t(`statusMessage.${preview.status}`)}
            </p>
            {preview.status !== "pending" ? null : identity ? (
              <AcceptInvitation token={value} />
            ) : (
              <div className="grid gap-2" data-testid="invitation-signed-out">
                <p className="text-sm">{t("signedOut", { email: preview.email })}</p>
                <div className="flex flex-wrap gap-2">
                  <Link
                    href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}
                    className="inline-flex h-9 items-center rounded-sm bg-primary px-4 text-sm font-semibold text-primary-foreground no-underline hover:bg-primary-hover"
                    data-testid="invitation-sign-in"
                  >
                    {t("signInToAccept")}
                  </Link>
                  <Link
                    href={`/sign-up?callbackUrl=${encodeURIComponent(here)}&email=${encodeURIComponent(preview.email)}`}
                    className="inline-flex h-9 items-center rounded-sm border border-border bg-card px-4 text-sm font-semibold text-foreground no-underline hover:bg-background"
                    data-testid="invitation-sign-up"
                  >
                    {t("createAccount")}
                  </Link>
                </div>
              </div>
            )}
          </>
        ) : (
          <p role="alert" className="text-sm text-destructive" data-testid="accept-error">
            {value ? t("invalid") : t("missingToken")}
          </p>
        )}
      </CardContent>
    </Card>
  );
}
