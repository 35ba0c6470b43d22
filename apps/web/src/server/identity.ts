import "server-only";

import type { Identity } from "@aihub/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { getServerSession } from "next-auth";
import { getToken } from "next-auth/jwt";
import { cache } from "react";
import { authOptions, authSecret, SECURE_COOKIES } from "./auth";
import { clientIp, userAgent } from "./request-meta";
import { userIdFromToken } from "./session";

/** Who is calling and from where: what `createInnerContext` needs besides the database. */
export interface RequestIdentity {
  identity: Identity | null;
  ip: string | null;
  userAgent: string | null;
}

const asIdentity = (userId: string | null): Identity | null => (userId ? { kind: "user", userId } : null);

/**
 * For route handlers (the tRPC endpoint): the session cookie is decoded with `getToken`, then
 * checked against the database, so a session ended by "sign out everywhere" or a password
 * change is refused on the very next request.
 */
export async function identityFromRequest(req: NextRequest): Promise<RequestIdentity> {
  const token = await getToken({ req, secret: authSecret(), secureCookie: SECURE_COOKIES });
  return { identity: asIdentity(await userIdFromToken(token)), ip: clientIp(req.headers), userAgent: userAgent(req.headers) };
}

/**
 * For server components and server actions: `getServerSession`, whose jwt callback runs the
 * same database check (`userIdFromToken`), so an ended session reads as signed out here too.
 * Cached per request: the header, the page and the server caller share one lookup.
 */
export const getRequestIdentity = cache(async (): Promise<RequestIdentity> => {
  const [session, headerList] = await Promise.all([getServerSession(authOptions), headers()]);
  return { identity: asIdentity(session?.user?.id ?? null), ip: clientIp(headerList), userAgent: userAgent(headerList) };
});

/**
 * For protected layouts and pages: the signed-in user, or a redirect to the sign-in page
 * that comes back to `callbackPath` afterwards.
 */
export async function requireUser(callbackPath: string): Promise<Extract<Identity, { kind: "user" }>> {
  const { identity } = await getRequestIdentity();
  if (identity?.kind !== "user") redirect(`/sign-in?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return identity;
}
