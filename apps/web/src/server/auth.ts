import "server-only";

import { DomainError, getStore, schemas, verifyCredentials } from "@aihub/api";
import { readSecret } from "@aihub/api/config";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { z } from "zod";
import { SIGN_IN_ERROR } from "@/lib/auth-errors";
import { getDatabase } from "./database";
import { linkedUserId, linkOAuthAccount } from "./oauth";
import { clientIp } from "./request-meta";
import { userIdFromToken } from "./session";

// --- Deployment settings -------------------------------------------------------------------

// Without NEXTAUTH_URL, next-auth 4 would build every URL on http://localhost:3000. The
// console runs on whatever host and port it was started on (3000, and 3100/3101 in tests),
// so it then takes the origin from the request's Host / X-Forwarded-* headers instead.
// Production sets NEXTAUTH_URL to its public https:// address, which also turns on Secure cookies.
if (!process.env.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST ??= "true";

/** Cookies get the `__Secure-` prefix and flag exactly when the public URL is https. */
export const SECURE_COOKIES = process.env.NEXTAUTH_URL?.startsWith("https://") ?? false;

/**
 * The key that signs and encrypts session tokens: NEXTAUTH_SECRET, with no built-in fallback.
 * The launcher refuses to start in production without it (with no DATABASE_URL it generates
 * one and keeps it under the data directory), so a running server never signs with a constant.
 * Read on use, not at import: `next build` loads this module and needs no secret.
 */
export function authSecret(): string {
  return readSecret("NEXTAUTH_SECRET");
}

// --- Providers -----------------------------------------------------------------------------

const ZCredentials = z.object({ email: schemas.ZEmail, password: z.string().min(1).max(200) });

/** Email and password, checked by the API's accounts service (rate limited per IP and email). */
const credentials = CredentialsProvider({
  id: "credentials",
  name: "Email",
  credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
  async authorize(input, request) {
    const parsed = ZCredentials.safeParse(input);
    if (!parsed.success) return null;
    try {
      const db = await getDatabase();
      const match = await verifyCredentials({ db, store: getStore(), ip: clientIp(request.headers ?? {}) }, parsed.data);
      return match ? { id: match.userId } : null;
    } catch (error) {
      // The thrown message becomes the `error` code the sign-in page shows; keep it to ours.
      if (error instanceof DomainError && error.code === "TOO_MANY_REQUESTS") throw new Error(SIGN_IN_ERROR.tooManyRequests);
      console.error(JSON.stringify({ level: "error", msg: "sign-in failed", error: String(error) }));
      throw new Error(SIGN_IN_ERROR.unavailable);
    }
  },
});

/** The OAuth providers that have credentials configured; none by default. */
function oauthProviders() {
  const providers = [];
  if (process.env.GITHUB_ID && process.env.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: process.env.GITHUB_ID, clientSecret: process.env.GITHUB_SECRET }));
  }
  if (process.env.GOOGLE_ID && process.env.GOOGLE_SECRET) {
    providers.push(GoogleProvider({ clientId: process.env.GOOGLE_ID, clientSecret: process.env.GOOGLE_SECRET }));
  }
  return providers;
}

/** Ids of the OAuth providers the sign-in page offers as buttons. */
export function enabledOAuthProviders(): ("github" | "google")[] {
  return oauthProviders().map((provider) => provider.id as "github" | "google");
}

// --- Options -------------------------------------------------------------------------------

/** Thrown by the jwt callback for a session that has ended; next-auth then drops the cookie. */
class SessionEndedError extends Error {
  override name = "SessionEndedError";
}

export const authOptions: NextAuthOptions = {
  get secret() {
    return authSecret();
  },
  // The credentials provider only works with JWT sessions; revocation is the `authTime`
  // check in userIdFromToken (users.sessions_valid_after).
  session: { strategy: "jwt" },
  useSecureCookies: SECURE_COOKIES,
  providers: [credentials, ...oauthProviders()],
  // One page for both: next-auth's errors (e.g. a refused OAuth sign-in) arrive as `?error=`.
  pages: { signIn: "/sign-in", error: "/sign-in" },
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.type !== "oauth") return true;
      return (await linkOAuthAccount(account, user, profile)) !== null;
    },
    async jwt({ token, user, account, trigger }) {
      if (trigger === "signIn" || trigger === "signUp") {
        // Credentials: `user.id` is our users.id (from authorize). OAuth: it is the
        // provider's id; ours comes from the link the signIn callback made.
        const userId = account?.type === "oauth" ? await linkedUserId(account) : user.id;
        if (!userId) throw new SessionEndedError("OAuth account is not linked");
        // Only who and when: no name, email or picture in the cookie.
        return { sub: userId, authTime: Date.now() };
      }
      // Every later read (getServerSession, /api/auth/session): refuse a session that ended.
      if (!(await userIdFromToken(token))) throw new SessionEndedError("Session ended");
      return token;
    },
    session({ session, token }) {
      return { expires: session.expires, user: { id: token.sub as string } };
    },
  },
  logger: {
    error(code, metadata) {
      // An ended session (signed out everywhere, password changed) is routine, not an error.
      if (metadata instanceof Error && metadata.name === "SessionEndedError") return;
      const message = metadata instanceof Error ? metadata.message : String(metadata?.error?.message ?? "");
      console.error(JSON.stringify({ level: "error", msg: `next-auth ${code}`, error: message }));
    },
    warn(code) {
      console.warn(JSON.stringify({ level: "warn", msg: `next-auth ${code}` }));
    },
    debug() {},
  },
};
