import "server-only";

import { schemas } from "@aihub/api";
import type { Account, Profile, User } from "next-auth";
import { getDatabase } from "./database";

/**
 * Our user for an OAuth sign-in: the one already linked to this provider account, else the
 * one with the provider's verified email (created if new), now linked. Null refuses the
 * sign-in: without a verified email we can't tell whose account it is.
 */
export async function linkOAuthAccount(account: Account, user: User, profile: Profile | undefined): Promise<string | null> {
  const db = await getDatabase();
  const key = { provider: account.provider, providerAccountId: account.providerAccountId };
  const linked = await db.prisma.account.findUnique({ where: { provider_providerAccountId: key }, select: { userId: true } });
  if (linked) return linked.userId;

  const email = await verifiedEmail(account, user, profile);
  if (!email) return null;
  return db.prisma.$transaction(async (tx) => {
    const now = new Date();
    const existing = await tx.user.findUnique({ where: { email }, select: { id: true, emailVerifiedAt: true } });
    if (existing && !existing.emailVerifiedAt) {
      // Anyone can sign up with an address they don't own; the provider has now shown who
      // does. Whatever password and sessions the unverified account had are dropped.
      await tx.user.update({ where: { id: existing.id }, data: { emailVerifiedAt: now, passwordHash: null, sessionsValidAfter: now } });
    }
    const userId =
      existing?.id ??
      (await tx.user.create({ data: { email, name: user.name ?? null, image: user.image ?? null, emailVerifiedAt: now } })).id;
    await tx.account.create({ data: { ...key, userId } });
    return userId;
  });
}

/** Our users.id for a provider account linked by `linkOAuthAccount`. */
export async function linkedUserId(account: Pick<Account, "provider" | "providerAccountId">): Promise<string | null> {
  const db = await getDatabase();
  const linked = await db.prisma.account.findUnique({
    where: { provider_providerAccountId: { provider: account.provider, providerAccountId: account.providerAccountId } },
    select: { userId: true },
  });
  return linked?.userId ?? null;
}

async function verifiedEmail(account: Account, user: User, profile: Profile | undefined): Promise<string | null> {
  let email: string | null | undefined;
  if (account.provider === "google") {
    const claims = profile as (Profile & { email_verified?: boolean }) | undefined;
    email = claims?.email_verified === true ? claims.email : null;
  } else if (account.provider === "github") {
    // GitHub's profile doesn't say whether its email is verified; its emails API does.
    email = await githubVerifiedEmail(account.access_token, user.email);
  }
  const parsed = schemas.ZEmail.safeParse(email);
  return parsed.success ? parsed.data : null;
}

async function githubVerifiedEmail(accessToken: string | undefined, preferred: string | null | undefined): Promise<string | null> {
  if (!accessToken) return null;
  const response = await fetch("https://api.github.com/user/emails", {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/vnd.github+json", "User-Agent": "aihub-console" },
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) return null;
  const emails = (await response.json()) as { email: string; primary: boolean; verified: boolean }[];
  const verified = emails.filter((entry) => entry.verified);
  const chosen =
    verified.find((entry) => entry.email.toLowerCase() === preferred?.toLowerCase()) ?? verified.find((entry) => entry.primary);
  return chosen?.email ?? null;
}
