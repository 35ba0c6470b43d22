import { randomUUID } from "node:crypto";
import type { TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import { type ActorAccess, withinOwnPermissions } from "../../rbac/access.js";
import { isPermission, type Permission } from "../../rbac/permissions.js";
import type { TCreateApiKeyInput, TListApiKeysInput, TRotateApiKeyInput, TUpdateApiKeyInput } from "../../schemas/api-key.js";
import { audit } from "../audit/audit.js";
import { pageArgs, pageOf } from "../paging.js";
import type { OrgServiceContext } from "../service-context.js";
import { generateApiKey, hashApiKey, type KeyEnvironment } from "./key-format.js";
import { invalidateApiKeyCache } from "./verify-api-key.js";

/**
 * Organization API keys: created with scopes capped by the creator's own permissions, listed
 * without their secret, changed (still capped), revoked, and rotated with a grace period. The
 * full key leaves the server only in the answers of `createApiKey` and `rotateApiKey`; the
 * database keeps its HMAC, and audit events keep the prefix and name, never the key or hash.
 */

/** Every column except the hash: no query here ever reads it back. */
const OMIT_SECRET = { keyHash: true } as const;

type KeyRow = Awaited<ReturnType<TenantTransaction["orgApiKey"]["findUniqueOrThrow"]>>;
type StoredKey = Omit<KeyRow, "keyHash">;

/** The key's status as a caller sees it: `expired` once its expiry has passed. */
export function effectiveStatus(key: Pick<StoredKey, "status" | "expiresAt">, now = new Date()): "active" | "revoked" | "expired" {
  if (key.status !== "active") return key.status;
  return key.expiresAt !== null && key.expiresAt <= now ? "expired" : "active";
}

/** Refuses scopes beyond what the actor holds organization-wide (no escalation by key). */
export function capScopes(access: ActorAccess, scopes: Permission[]): void {
  const { ok, beyond } = withinOwnPermissions(access, scopes);
  if (!ok) {
    throw new DomainError("FORBIDDEN", `A key cannot have scopes you do not hold: ${beyond.join(", ")}`, {
      beyond,
      reason: "SCOPES_BEYOND_OWN",
    });
  }
}

export interface NewKeyFields {
  name: string;
  scopes: Permission[];
  teamId?: string | null;
  expiresAt?: Date | null;
  rateLimitPerMinute?: number;
  monthlyQuota?: number;
  allowedModels?: string[];
  lastUsedAt?: Date | null;
  rotatedFromId?: string | null;
  counterId?: string | null;
  environment?: KeyEnvironment;
}

/** Inserts a key in the caller's transaction; returns the full key (once) and the row without its hash. */
export async function insertApiKey(tx: TenantTransaction, orgId: string, createdById: string | null, fields: NewKeyFields) {
  const { key, prefix } = generateApiKey(fields.environment);
  const id = randomUUID();
  const record = await tx.orgApiKey.create({
    data: {
      id,
      organizationId: orgId,
      name: fields.name,
      keyHash: hashApiKey(key),
      keyPrefix: prefix,
      scopes: [...new Set(fields.scopes)],
      teamId: fields.teamId ?? null,
      expiresAt: fields.expiresAt ?? null,
      rateLimitPerMinute: fields.rateLimitPerMinute,
      monthlyQuota: fields.monthlyQuota,
      allowedModels: fields.allowedModels ?? [],
      lastUsedAt: fields.lastUsedAt ?? null,
      rotatedFromId: fields.rotatedFromId ?? null,
      // Counters live under the first key of a rotation chain; a fresh key starts its own.
      counterId: fields.counterId ?? id,
      createdById,
    },
    omit: OMIT_SECRET,
  });
  return { key, record };
}

/** What the audit trail keeps of a key (the event's allow-list drops anything else). */
const snapshot = (key: StoredKey) => ({ ...key, status: effectiveStatus(key) });

/** Rows as callers see them: the team's name and the creator, when still a member. */
async function present(tx: TenantTransaction, rows: StoredKey[]) {
  const teamIds = [...new Set(rows.flatMap((r) => (r.teamId ? [r.teamId] : [])))];
  const creatorIds = [...new Set(rows.flatMap((r) => (r.createdById ? [r.createdById] : [])))];
  const [teams, members] = await Promise.all([
    teamIds.length ? tx.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, name: true } }) : [],
    creatorIds.length
      ? tx.member.findMany({
          where: { userId: { in: creatorIds } },
          select: { userId: true, user: { select: { name: true, email: true } } },
        })
      : [],
  ]);
  const teamById = new Map(teams.map((t) => [t.id, t]));
  const creatorById = new Map(members.map((m) => [m.userId, m.user]));
  const now = new Date();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.keyPrefix,
    scopes: r.scopes.filter(isPermission),
    team: r.teamId ? (teamById.get(r.teamId) ?? null) : null,
    rateLimitPerMinute: r.rateLimitPerMinute,
    monthlyQuota: r.monthlyQuota,
    allowedModels: r.allowedModels,
    status: effectiveStatus(r, now),
    lastUsedAt: r.lastUsedAt,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
    rotatedFromId: r.rotatedFromId,
    replacedById: r.replacedById,
    createdById: r.createdById,
    creator: r.createdById ? (creatorById.get(r.createdById) ?? null) : null,
  }));
}

async function presentOne(tx: TenantTransaction, row: StoredKey) {
  const [out] = await present(tx, [row]);
  return out as NonNullable<typeof out>;
}

/** The key, locked for the rest of the transaction (two rotations of one key cannot both go through). */
async function lockedKey(tx: TenantTransaction, apiKeyId: string): Promise<StoredKey> {
  await tx.$queryRaw`SELECT id FROM org_api_keys WHERE id = ${apiKeyId}::uuid FOR UPDATE`;
  const key = await tx.orgApiKey.findUnique({ where: { id: apiKeyId }, omit: OMIT_SECRET });
  if (!key) throw notFound("API key");
  return key;
}

/**
 * Runs a change of one key, then (after its commit) drops the key's verification cache entries
 * in every process (Redis) and in this one, so the change shows on the next request.
 */
async function changingKey<T>(ctx: OrgServiceContext, apiKeyId: string, change: (tx: TenantTransaction) => Promise<T>): Promise<T> {
  let keyHash: string | undefined;
  const result = await ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const out = await change(tx);
    keyHash = (await tx.orgApiKey.findUnique({ where: { id: apiKeyId }, select: { keyHash: true } }))?.keyHash;
    return out;
  });
  if (keyHash) await invalidateApiKeyCache(ctx.store, [keyHash]);
  return result;
}

/** After an organization is deleted or restored: its keys' cached verifications are dropped. */
export async function invalidateOrgApiKeys(ctx: OrgServiceContext): Promise<void> {
  const keys = await ctx.db.withTenant({ orgId: ctx.orgId }, (tx) => tx.orgApiKey.findMany({ select: { keyHash: true } }));
  await invalidateApiKeyCache(
    ctx.store,
    keys.map((k) => k.keyHash),
  );
}

function requireActive(key: StoredKey) {
  if (effectiveStatus(key) !== "active") {
    throw new DomainError("PRECONDITION_FAILED", "This key is revoked or expired", { reason: "KEY_NOT_ACTIVE" });
  }
}

export async function createApiKey(ctx: OrgServiceContext, input: Omit<TCreateApiKeyInput, "orgId">) {
  capScopes(ctx.access, input.scopes);
  if (input.expiresAt && input.expiresAt <= new Date()) {
    throw new DomainError("BAD_REQUEST", "The expiry must be in the future", { field: "expiresAt", reason: "EXPIRY_IN_PAST" });
  }
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    if (input.teamId && !(await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } }))) throw notFound("Team");
    const { key, record } = await insertApiKey(tx, ctx.orgId, ctx.userId, input);
    await audit(tx, ctx, { action: "api_key.created", targetId: record.id, after: snapshot(record) });
    return { key, apiKey: await presentOne(tx, record) };
  });
}

export async function listApiKeys(ctx: OrgServiceContext, input: Omit<TListApiKeysInput, "orgId">) {
  const now = new Date();
  const byStatus = {
    active: { status: "active" as const, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    revoked: { status: "revoked" as const },
    expired: { OR: [{ status: "expired" as const }, { status: "active" as const, expiresAt: { lte: now } }] },
  };
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const rows = await tx.orgApiKey.findMany({
      where: { ...(input.status ? byStatus[input.status] : {}), ...(input.teamId ? { teamId: input.teamId } : {}) },
      omit: OMIT_SECRET,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      ...pageArgs(input),
    });
    const { items, nextCursor } = pageOf(rows, input.limit);
    return { items: await present(tx, items), nextCursor };
  });
}

export async function getApiKey(ctx: OrgServiceContext, input: { apiKeyId: string }) {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const key = await tx.orgApiKey.findUnique({ where: { id: input.apiKeyId }, omit: OMIT_SECRET });
    if (!key) throw notFound("API key");
    return presentOne(tx, key);
  });
}

export async function updateApiKey(ctx: OrgServiceContext, input: Omit<TUpdateApiKeyInput, "orgId">) {
  if (input.scopes) capScopes(ctx.access, input.scopes);
  return changingKey(ctx, input.apiKeyId, async (tx) => {
    const before = await lockedKey(tx, input.apiKeyId);
    requireActive(before);
    const after = await tx.orgApiKey.update({
      where: { id: before.id },
      data: {
        name: input.name,
        scopes: input.scopes,
        rateLimitPerMinute: input.rateLimitPerMinute,
        monthlyQuota: input.monthlyQuota,
        allowedModels: input.allowedModels,
      },
      omit: OMIT_SECRET,
    });
    await audit(tx, ctx, { action: "api_key.updated", targetId: before.id, before: snapshot(before), after: snapshot(after) });
    return presentOne(tx, after);
  });
}

/** Revokes a key: it stops authenticating with the next request. */
export async function revokeApiKey(ctx: OrgServiceContext, input: { apiKeyId: string }) {
  return changingKey(ctx, input.apiKeyId, async (tx) => {
    const before = await lockedKey(tx, input.apiKeyId);
    if (before.status === "revoked") {
      throw new DomainError("PRECONDITION_FAILED", "This key is already revoked", { reason: "KEY_NOT_ACTIVE" });
    }
    const after = await tx.orgApiKey.update({
      where: { id: before.id },
      data: { status: "revoked", revokedAt: new Date() },
      omit: OMIT_SECRET,
    });
    await audit(tx, ctx, {
      action: "api_key.revoked",
      targetId: before.id,
      before: { status: effectiveStatus(before) },
      after: { status: after.status, revokedAt: after.revokedAt },
    });
    return presentOne(tx, after);
  });
}

/**
 * Replaces a key with a new one of the same name, scopes (still capped by the rotator's
 * permissions), team, limits, allowed models, expiry, last use and counters. The old key keeps
 * working for the grace period (never past its own expiry), then stops; it points to its successor.
 */
export async function rotateApiKey(ctx: OrgServiceContext, input: Omit<TRotateApiKeyInput, "orgId">) {
  return changingKey(ctx, input.apiKeyId, async (tx) => {
    const old = await lockedKey(tx, input.apiKeyId);
    requireActive(old);
    if (old.replacedById) {
      throw new DomainError("PRECONDITION_FAILED", "This key was already rotated", { reason: "KEY_ALREADY_ROTATED" });
    }
    const scopes = old.scopes.filter(isPermission);
    capScopes(ctx.access, scopes);
    const { key, record } = await insertApiKey(tx, ctx.orgId, ctx.userId, {
      name: old.name,
      scopes,
      teamId: old.teamId,
      expiresAt: old.expiresAt,
      rateLimitPerMinute: old.rateLimitPerMinute,
      monthlyQuota: old.monthlyQuota,
      allowedModels: old.allowedModels,
      lastUsedAt: old.lastUsedAt,
      rotatedFromId: old.id,
      counterId: old.counterId ?? old.id,
      environment: old.keyPrefix.startsWith("aih_test_") ? "test" : "live",
    });
    const graceEnd = new Date(Date.now() + input.gracePeriodSeconds * 1000);
    const previous = await tx.orgApiKey.update({
      where: { id: old.id },
      data: { replacedById: record.id, expiresAt: old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd },
      omit: OMIT_SECRET,
    });
    await audit(tx, ctx, {
      action: "api_key.rotated",
      targetId: old.id,
      before: { expiresAt: old.expiresAt },
      after: { expiresAt: previous.expiresAt, replacedById: record.id },
    });
    await audit(tx, ctx, { action: "api_key.created", targetId: record.id, after: snapshot(record) });
    const [apiKey, previousOut] = await present(tx, [record, previous]);
    return { key, apiKey: apiKey as NonNullable<typeof apiKey>, previous: previousOut as NonNullable<typeof previousOut> };
  });
}

/**
 * Revokes the keys bound to teams being deleted, in the deleting transaction, with an event
 * each. (The database's trigger on `teams` revokes them too, whoever deletes a team.)
 */
export async function revokeKeysOfTeams(tx: TenantTransaction, ctx: OrgServiceContext, teamIds: string[]): Promise<string[]> {
  const keys = await tx.orgApiKey.findMany({
    where: { teamId: { in: teamIds }, status: { not: "revoked" } },
    select: { id: true, status: true, expiresAt: true, keyHash: true },
  });
  if (keys.length === 0) return [];
  const revokedAt = new Date();
  await tx.orgApiKey.updateMany({ where: { id: { in: keys.map((k) => k.id) } }, data: { status: "revoked", revokedAt } });
  for (const key of keys) {
    await audit(tx, ctx, {
      action: "api_key.revoked",
      targetId: key.id,
      before: { status: effectiveStatus(key) },
      after: { status: "revoked", revokedAt, reason: "team_deleted" },
    });
  }
  // The caller drops these from the verification cache once its transaction commits.
  return keys.map((k) => k.keyHash);
}
