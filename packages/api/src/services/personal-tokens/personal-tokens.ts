import type { TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import { isPermission } from "../../rbac/permissions.js";
import type { TCreatePersonalTokenInput, TListPersonalTokensInput } from "../../schemas/personal-token.js";
import { generatePersonalToken, hashApiKey } from "../api-keys/key-format.js";
import { pageArgs, pageOf } from "../paging.js";
import type { UserServiceContext } from "../service-context.js";
import { invalidatePersonalTokenCache } from "./verify-personal-token.js";

/**
 * A person's personal access tokens, managed on their account page (by session only: the
 * procedures refuse tokens, so a stolen token cannot mint, list or revoke tokens). The full token
 * leaves the server only in the answer of `createPersonalToken`; the database keeps its HMAC.
 * Every query runs with the person's id as the tenant context, so row-level security shows
 * nobody else's tokens. Not audited: the audit log is per organization and a token belongs to
 * no organization (what a token does in an organization is audited there, as its person).
 */

/** Every column except the hash: no answer ever carries it. */
const OMIT_SECRET = { tokenHash: true } as const;

type TokenRow = Omit<Awaited<ReturnType<TenantTransaction["personalAccessToken"]["findUniqueOrThrow"]>>, "tokenHash">;

const asPerson = <T>(ctx: UserServiceContext, work: (tx: TenantTransaction) => Promise<T>) =>
  ctx.db.withTenant({ orgId: null, userId: ctx.userId }, work);

function present(row: TokenRow, now = new Date()) {
  const status = row.revokedAt ? "revoked" : row.expiresAt <= now ? "expired" : "active";
  return {
    id: row.id,
    name: row.name,
    prefix: row.tokenPrefix,
    scopes: row.scopes.filter(isPermission),
    status: status as "active" | "revoked" | "expired",
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    createdAt: row.createdAt,
  };
}

/**
 * Active tokens one person may hold at once: enough for every tool and machine they use, few
 * enough that a leaked session cannot mint an unbounded supply before it is noticed.
 */
export const MAX_ACTIVE_PERSONAL_TOKENS = 50;

/** Creates a token (scopes and expiry already checked by the input schema); returns it once. */
export async function createPersonalToken(ctx: UserServiceContext, input: TCreatePersonalTokenInput) {
  const { token, prefix } = generatePersonalToken(input.environment);
  const row = await asPerson(ctx, async (tx) => {
    // The person's row locked first: two concurrent creations cannot both pass the count.
    await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${ctx.userId}::uuid FOR UPDATE`;
    const active = await tx.personalAccessToken.count({ where: { userId: ctx.userId, revokedAt: null, expiresAt: { gt: new Date() } } });
    if (active >= MAX_ACTIVE_PERSONAL_TOKENS) {
      throw new DomainError(
        "PRECONDITION_FAILED",
        `You already have ${MAX_ACTIVE_PERSONAL_TOKENS} active tokens. Revoke one you no longer use first.`,
        {
          reason: "TOO_MANY_TOKENS",
          limit: MAX_ACTIVE_PERSONAL_TOKENS,
        },
      );
    }
    return tx.personalAccessToken.create({
      data: {
        userId: ctx.userId,
        name: input.name,
        tokenHash: hashApiKey(token),
        tokenPrefix: prefix,
        scopes: input.scopes,
        expiresAt: input.expiresAt,
      },
      omit: OMIT_SECRET,
    });
  });
  return { token, personalToken: present(row) };
}

/** The person's tokens, newest first, without their secrets. */
export async function listPersonalTokens(ctx: UserServiceContext, input: TListPersonalTokensInput) {
  const rows = await asPerson(ctx, (tx) =>
    tx.personalAccessToken.findMany({
      where: { userId: ctx.userId },
      omit: OMIT_SECRET,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      ...pageArgs(input),
    }),
  );
  const { items, nextCursor } = pageOf(rows, input.limit);
  const now = new Date();
  return { items: items.map((row) => present(row, now)), nextCursor };
}

/**
 * Revokes one of the person's tokens (again: no change). After the commit every process stops
 * accepting it on its next request (the verifier's cache entry is dropped and its generation bumped).
 */
export async function revokePersonalToken(ctx: UserServiceContext, input: { tokenId: string }) {
  const { row, tokenHash } = await asPerson(ctx, async (tx) => {
    // Row-level security hides other people's tokens: one of theirs is "not found", as a missing one.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM personal_access_tokens WHERE id = ${input.tokenId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw notFound("Personal access token");
    const current = await tx.personalAccessToken.findUniqueOrThrow({ where: { id: input.tokenId } });
    const { tokenHash: hash, ...rest } = current.revokedAt
      ? current
      : await tx.personalAccessToken.update({ where: { id: current.id }, data: { revokedAt: new Date() } });
    return { row: rest, tokenHash: hash };
  });
  await invalidatePersonalTokenCache(ctx.store, [tokenHash]);
  return present(row);
}
