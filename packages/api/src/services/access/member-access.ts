import type { Database, TenantTransaction } from "@aihub/db";
import type { MemberAccess, PermissionOverride, TeamParents } from "../../rbac/access.js";
import { isPermission } from "../../rbac/permissions.js";
import { orgKey, type Store } from "../../store/index.js";

/** Short: bounds how stale an entry can be if an invalidation is lost while Redis is down. */
export const ACCESS_CACHE_TTL_SECONDS = 60;

export interface AccessDeps {
  db: Database;
  store: Store;
}

const memberKey = (orgId: string, userId: string) => orgKey(orgId, "access", "user", userId);
const teamTreeKey = (orgId: string) => orgKey(orgId, "teams", "parents");

/** A cache read that never fails: a miss or a Redis error both mean "ask the database". */
async function readCache<T>(store: Store, key: string, revive: (raw: unknown) => T): Promise<T | null> {
  try {
    const raw = await store.get(key);
    return raw === null ? null : revive(JSON.parse(raw));
  } catch {
    return null;
  }
}

const generationKey = (orgId: string) => orgKey(orgId, "access", "generation");
// Outlives any request; a counter that expired only makes in-flight fills skip their write.
const GENERATION_TTL_SECONDS = 3_600;

/**
 * The org's cache generation, read before loading from the database; undefined when Redis
 * cannot answer (then nothing is written back).
 */
async function readGeneration(store: Store, orgId: string): Promise<string | null | undefined> {
  try {
    return await store.get(generationKey(orgId));
  } catch {
    return undefined;
  }
}

/**
 * A member's cached access and the org's generation together (MGET), or `undefined` for the
 * generation when the store cannot read several keys at once (the caller reads it alone). A
 * Redis error reads as a miss, the generation as `readGeneration` gives it.
 */
async function readCacheAndGeneration(store: Store, orgId: string, key: string): Promise<[MemberAccess | null, string | null | undefined]> {
  if (!store.getMany) return [await readCache(store, key, reviveMemberAccess), undefined];
  try {
    const [raw, generation] = await store.getMany([key, generationKey(orgId)]);
    if (raw == null) return [null, generation ?? null];
    try {
      return [reviveMemberAccess(JSON.parse(raw)), generation ?? null];
    } catch {
      return [null, generation ?? null];
    }
  } catch {
    // As a miss; the generation is then read alone (undefined while Redis fails: no write-back).
    return [null, await readGeneration(store, orgId)];
  }
}

/**
 * Writes a database answer back, unless an invalidation happened since `generation` was read:
 * a fill that started before a change committed must not outlive the change's invalidation.
 */
async function writeCache(store: Store, orgId: string, key: string, value: unknown, generation: string | null | undefined): Promise<void> {
  if (generation === undefined) return;
  try {
    await store.setIfUnchanged(key, JSON.stringify(value), ACCESS_CACHE_TTL_SECONDS, generationKey(orgId), generation);
  } catch {
    // The answer came from the database and is right; only the next call is slower.
  }
}

function reviveMemberAccess(raw: unknown): MemberAccess {
  const access = raw as MemberAccess & { overrides: (Omit<PermissionOverride, "expiresAt"> & { expiresAt: string | null })[] };
  return {
    ...access,
    overrides: access.overrides.map((o) => ({ ...o, expiresAt: o.expiresAt === null ? null : new Date(o.expiresAt) })),
  };
}

const MEMBER_ACCESS_SELECT = {
  id: true,
  role: true,
  organization: { select: { status: true } },
  permissionOverrides: { select: { permission: true, effect: true, expiresAt: true } },
  teamMemberships: { where: { role: "lead" }, select: { teamId: true } },
} as const;

/**
 * A member's access as the database holds it now, read through `client` (a tenant client, or
 * a transaction that wants to decide on what it locked), with whether their org is deleted.
 */
export async function readMemberAccess(
  client: Pick<TenantTransaction, "member">,
  orgId: string,
  userId: string,
): Promise<{ access: MemberAccess; orgDeleted: boolean } | null> {
  const member = await client.member.findUnique({
    where: { organizationId_userId: { organizationId: orgId, userId } },
    select: MEMBER_ACCESS_SELECT,
  });
  if (!member) return null;
  const access: MemberAccess = {
    kind: "member",
    memberId: member.id,
    role: member.role,
    overrides: member.permissionOverrides.flatMap((o) =>
      // A permission retired from the catalogue simply stops counting.
      isPermission(o.permission) ? [{ permission: o.permission, effect: o.effect, expiresAt: o.expiresAt }] : [],
    ),
    ledTeamIds: member.teamMemberships.map((t) => t.teamId),
  };
  return { access, orgDeleted: member.organization.status === "deleted" };
}

/** {@link readMemberAccess} for a cache fill: the same answer in one round trip, from a plan-cached function. */
async function readMemberAccessOneTrip(
  db: Database,
  orgId: string,
  userId: string,
): Promise<{ access: MemberAccess; orgDeleted: boolean } | null> {
  const [found] = await db.tenantRead<{
    r: {
      id: string;
      role: MemberAccess["role"];
      orgStatus: string;
      overrides: { permission: string; effect: PermissionOverride["effect"]; expiresAt: string | null }[];
      ledTeamIds: string[];
    };
  }>({ orgId, userId }, "SELECT app_read_member_access($1::uuid, $2::uuid) AS r", [orgId, userId]);
  if (!found) return null;
  const row = found.r;
  const access: MemberAccess = {
    kind: "member",
    memberId: row.id,
    role: row.role,
    overrides: row.overrides.flatMap((o) =>
      isPermission(o.permission)
        ? [{ permission: o.permission, effect: o.effect, expiresAt: o.expiresAt === null ? null : new Date(o.expiresAt) }]
        : [],
    ),
    ledTeamIds: row.ledTeamIds,
  };
  return { access, orgDeleted: row.orgStatus === "deleted" };
}

/** The member's role, overrides and led teams in this org, or null when they are not a member. */
export async function loadMemberAccess(
  deps: AccessDeps,
  orgId: string,
  userId: string,
  options: { includeDeleted?: boolean } = {},
): Promise<MemberAccess | null> {
  const key = memberKey(orgId, userId);
  // Only active orgs are cached; reaching a deleted one (to restore it) always asks the database.
  // The entry and the generation a fill needs come in one round trip where the store can (one hash tag).
  const [cached, read] = options.includeDeleted ? [null, undefined] : await readCacheAndGeneration(deps.store, orgId, key);
  if (cached) return cached;

  const generation = read === undefined ? await readGeneration(deps.store, orgId) : read;
  const found = await readMemberAccessOneTrip(deps.db, orgId, userId);
  if (!found) return null;
  if (found.orgDeleted && !options.includeDeleted) return null;
  if (!found.orgDeleted) await writeCache(deps.store, orgId, key, found.access, generation);
  return found.access;
}

/** The org's team tree as child → parent, for team-lead inheritance. */
export async function loadTeamParents(deps: AccessDeps, orgId: string, options: { fresh?: boolean } = {}): Promise<TeamParents> {
  const key = teamTreeKey(orgId);
  const cached = options.fresh ? null : await readCache(deps.store, key, (raw) => new Map(raw as [string, string | null][]));
  if (cached) return cached;
  const generation = await readGeneration(deps.store, orgId);
  const teams = await deps.db.tenantRead<{ id: string; parent: string | null }>(
    { orgId },
    "SELECT id, parent_team_id AS parent FROM teams",
  );
  const entries = teams.map((t) => [t.id, t.parent] as [string, string | null]);
  await writeCache(deps.store, orgId, key, entries, generation);
  return new Map(entries);
}

async function dropKeys(store: Store, orgId: string, keys: string[]): Promise<void> {
  try {
    // Bump first: any fill that read the old generation will not write back after this.
    await store.bump(generationKey(orgId), GENERATION_TTL_SECONDS);
    await store.del(...keys);
  } catch {
    // Redis unreachable: the entry expires within ACCESS_CACHE_TTL_SECONDS (documented bound).
  }
}

/** After a change of role, overrides or team membership of these users. */
export function invalidateMemberAccess(store: Store, orgId: string, userIds: string[]): Promise<void> {
  return dropKeys(
    store,
    orgId,
    userIds.map((userId) => memberKey(orgId, userId)),
  );
}

/** After a team is created, moved or deleted. */
export function invalidateTeamTree(store: Store, orgId: string): Promise<void> {
  return dropKeys(store, orgId, [teamTreeKey(orgId)]);
}
