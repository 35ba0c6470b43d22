import type { TenantTransaction } from "@aihub/db";
import { hashSecretToken, newSecretToken } from "../secret-token.js";

export type AuthTokenPurpose = "email_verification" | "password_reset";

export const TOKEN_LIFETIME_MS: Record<AuthTokenPurpose, number> = {
  email_verification: 24 * 60 * 60 * 1000,
  password_reset: 60 * 60 * 1000,
};

/** A fresh single-use token; only its hash is stored. Earlier unused ones of the same purpose lapse. */
export async function createAuthToken(
  tx: Pick<TenantTransaction, "authToken">,
  userId: string,
  purpose: AuthTokenPurpose,
): Promise<string> {
  const { token, hash } = newSecretToken();
  await tx.authToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: new Date() } });
  await tx.authToken.create({
    data: { userId, purpose, tokenHash: hash, expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]) },
  });
  return token;
}

/**
 * Uses a token up: one conditional UPDATE, so two simultaneous uses cannot both succeed.
 * Returns the user's id, or null for an unknown, used or expired token.
 */
export async function consumeAuthToken(
  client: Pick<TenantTransaction, "$queryRaw">,
  token: string,
  purpose: AuthTokenPurpose,
): Promise<string | null> {
  const rows = await client.$queryRaw<{ user_id: string }[]>`
    UPDATE auth_tokens SET used_at = now()
     WHERE token_hash = ${hashSecretToken(token)} AND purpose = ${purpose}::auth_token_purpose
       AND used_at IS NULL AND expires_at > now()
    RETURNING user_id`;
  return rows[0]?.user_id ?? null;
}
