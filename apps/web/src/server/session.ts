import "server-only";

import { resolveSession } from "@aihub/api";
import type { JWT } from "next-auth/jwt";
import { getDatabase } from "./database";

/**
 * The user a session token stands for, if that session still counts: the token names a user
 * and its sign-in time, and the user has not signed out everywhere, changed or reset their
 * password since. A JWT can't be revoked, so this database check on every request is what
 * ends a session at once. Null means "treat as signed out".
 */
export async function userIdFromToken(token: JWT | null | undefined): Promise<string | null> {
  if (!token || typeof token.sub !== "string" || typeof token.authTime !== "number") return null;
  const session = await resolveSession(await getDatabase(), { userId: token.sub, authTime: token.authTime });
  return session?.userId ?? null;
}
