import { createHash } from "node:crypto";
import { expect } from "vitest";
import type { Caller } from "./fixtures.js";
import type { Inspector } from "./inspector.js";
import type { World } from "./world.js";

/** What an effect check gets: the world, a superuser reader, the input as the fixture built it, and who called. */
export interface EffectContext {
  world: World;
  db: Inspector;
  // biome-ignore lint/suspicious/noExplicitAny: fixtures' inputs differ per procedure
  input: any;
  caller: Caller;
}

/**
 * The effect of one mutation, checked by reading the database after the call. The matrix reads
 * `read` before and after every call: a refused call must leave it equal (and write no audit
 * event); an allowed one must pass `changed` and, when `audit` names an action, have recorded
 * that action in the world's organization with the caller as actor.
 */
export interface EffectCheck {
  audit: string | null;
  read(ctx: EffectContext): Promise<unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: each check knows its own shapes
  changed(ctx: EffectContext & { before: any; after: any; result: any }): Promise<void> | void;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const userIdOf = (caller: Caller) => (caller.kind === "user" ? caller.userId : null);

const memberRole = (ctx: EffectContext, memberId: string) =>
  ctx.db.value<string>("SELECT role::text FROM members WHERE id = $1 AND organization_id = $2", [memberId, ctx.world.orgId]);
const teamRow = (ctx: EffectContext, teamId: string) =>
  ctx.db.rows("SELECT parent_team_id, name, description FROM teams WHERE id = $1", [teamId]).then((r) => r[0] ?? null);
const orgRow = (ctx: EffectContext) =>
  ctx.db
    .rows<{ status: string; deleted_at: Date | null; description: string | null }>(
      "SELECT status::text, deleted_at, description FROM organizations WHERE id = $1",
      [ctx.world.orgId],
    )
    .then((r) => r[0] ?? null);
const membership = (ctx: EffectContext, teamId: string, memberId: string) =>
  ctx.db.value<string>("SELECT role::text FROM team_memberships WHERE team_id = $1 AND member_id = $2", [teamId, memberId]);
const userRow = (ctx: EffectContext, userId: string | null) =>
  userId
    ? ctx.db
        .rows<{ password_hash: string | null; sessions_valid_after: Date; email_verified_at: Date | null }>(
          "SELECT password_hash, sessions_valid_after, email_verified_at FROM users WHERE id = $1",
          [userId],
        )
        .then((r) => r[0] ?? null)
    : Promise.resolve(null);
const tokenUser = (ctx: EffectContext, token: string) =>
  ctx.db
    .rows<{ used_at: Date | null; password_hash: string | null; sessions_valid_after: Date; email_verified_at: Date | null }>(
      `SELECT t.used_at, u.password_hash, u.sessions_valid_after, u.email_verified_at
         FROM auth_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`,
      [sha256(token)],
    )
    .then((r) => r[0] ?? null);
const invitationRow = (ctx: EffectContext, invitationId: string) =>
  ctx.db
    .rows<{ token_hash: string; expires_at: Date; revoked_at: Date | null; accepted_at: Date | null }>(
      "SELECT token_hash, expires_at, revoked_at, accepted_at FROM invitations WHERE id = $1",
      [invitationId],
    )
    .then((r) => r[0] ?? null);

/** Every mutation's effect, by procedure path (the matrix fails for a mutation missing here). */
export const mutationEffects: Record<string, EffectCheck> = {
  // ---- accounts (no organization, so no audit event) ----
  "account.signUp": {
    audit: null,
    read: (ctx) => ctx.db.value("SELECT count(*)::int FROM users WHERE email = lower($1)", [ctx.input.email]),
    changed: ({ before, after }) => {
      expect(before).toBe(0);
      expect(after).toBe(1);
    },
  },
  "account.requestPasswordReset": {
    audit: null,
    read: (ctx) =>
      ctx.db.value(
        `SELECT count(*)::int FROM auth_tokens t JOIN users u ON u.id = t.user_id
          WHERE u.email = lower($1) AND t.purpose = 'password_reset'`,
        [ctx.input.email],
      ),
    changed: ({ before, after }) => expect(after).toBe((before as number) + 1),
  },
  "account.resetPassword": {
    audit: null,
    read: (ctx) => tokenUser(ctx, ctx.input.token),
    changed: ({ before, after }) => {
      expect(after.used_at).not.toBeNull();
      expect(after.password_hash).not.toBe(before.password_hash);
      expect(after.sessions_valid_after.getTime()).toBeGreaterThan(before.sessions_valid_after.getTime());
    },
  },
  "account.verifyEmail": {
    audit: null,
    read: (ctx) => tokenUser(ctx, ctx.input.token),
    changed: ({ before, after }) => {
      expect(before.email_verified_at).toBeNull();
      expect(after.email_verified_at).not.toBeNull();
      expect(after.used_at).not.toBeNull();
    },
  },
  // Every caller of the world is verified already: nothing is mailed, nothing changes.
  "account.requestEmailVerification": {
    audit: null,
    read: async (ctx) => ({
      user: await userRow(ctx, userIdOf(ctx.caller)),
      outbox: await ctx.db.value("SELECT count(*)::int FROM email_outbox"),
    }),
    changed: ({ before, after, result }) => {
      expect(result).toEqual({ status: "already_verified" });
      expect(after).toEqual(before);
    },
  },
  "account.changePassword": {
    audit: null,
    read: (ctx) => userRow(ctx, userIdOf(ctx.caller)),
    changed: ({ before, after }) => {
      expect(after.password_hash).not.toBe(before.password_hash);
      expect(after.sessions_valid_after.getTime()).toBeGreaterThan(before.sessions_valid_after.getTime());
    },
  },
  "account.signOutEverywhere": {
    audit: null,
    read: (ctx) => userRow(ctx, userIdOf(ctx.caller)),
    changed: ({ before, after }) => expect(after.sessions_valid_after.getTime()).toBeGreaterThan(before.sessions_valid_after.getTime()),
  },
  "account.setLocale": {
    audit: null,
    read: (ctx) => ctx.db.value("SELECT locale FROM users WHERE id = $1", [userIdOf(ctx.caller)]),
    changed: ({ before, after, input }) => {
      expect(before).not.toBe(input.locale);
      expect(after).toBe(input.locale);
    },
  },
  "notification.markRead": {
    audit: null,
    read: (ctx) => ctx.db.value("SELECT read_at FROM notifications WHERE id = $1", [ctx.input.notificationId]),
    changed: ({ before, after }) => {
      expect(before).toBeNull();
      expect(after).not.toBeNull();
    },
  },

  // ---- organizations ----
  "organization.create": {
    audit: null, // the audit event goes to the new organization, checked below
    read: (ctx) => ctx.db.value("SELECT count(*)::int FROM organizations"),
    changed: async ({ db, caller, before, after, result }) => {
      expect(after).toBe((before as number) + 1);
      expect(
        await db.value("SELECT role::text FROM members WHERE organization_id = $1 AND user_id = $2", [result.id, userIdOf(caller)]),
      ).toBe("owner");
      expect(
        await db.rows("SELECT action, actor_id FROM audit_events WHERE organization_id = $1", [result.id.toLowerCase()]),
      ).toContainEqual({ action: "organization.created", actor_id: userIdOf(caller) });
    },
  },
  "organization.update": {
    audit: "organization.updated",
    read: orgRow,
    changed: ({ input, after }) => expect(after.description).toBe(input.description),
  },
  "organization.delete": {
    audit: "organization.deleted",
    read: orgRow,
    changed: ({ after }) => {
      expect(after.status).toBe("deleted");
      expect(after.deleted_at).not.toBeNull();
    },
  },
  "organization.restore": {
    audit: "organization.restored",
    read: orgRow,
    changed: ({ before, after }) => {
      expect(before.status).toBe("deleted");
      expect(after).toMatchObject({ status: "active", deleted_at: null });
    },
  },
  "organization.transferOwnership": {
    audit: "organization.ownership_transferred",
    read: async (ctx) =>
      ctx.db.rows("SELECT id, role::text FROM members WHERE organization_id = $1 ORDER BY id", [ctx.world.orgId]).then((rows) => rows),
    changed: async ({ db, world, input, caller }) => {
      expect(await db.value("SELECT role::text FROM members WHERE id = $1", [input.memberId])).toBe("owner");
      expect(
        await db.value("SELECT role::text FROM members WHERE organization_id = $1 AND user_id = $2", [world.orgId, userIdOf(caller)]),
      ).toBe("admin");
    },
  },

  // ---- members ----
  "member.updateRole": {
    audit: "member.role_updated",
    read: (ctx) => memberRole(ctx, ctx.input.memberId),
    changed: ({ input, before, after }) => {
      expect(before).not.toBe(input.role);
      expect(after).toBe(input.role);
    },
  },
  "member.setPermissionOverride": {
    audit: "member.permission_override_set",
    read: (ctx) =>
      ctx.db.rows("SELECT permission, effect::text FROM member_permission_overrides WHERE member_id = $1 ORDER BY permission", [
        ctx.input.memberId,
      ]),
    changed: ({ input, after }) => expect(after).toContainEqual({ permission: input.permission, effect: input.effect }),
  },
  "member.removePermissionOverride": {
    audit: "member.permission_override_removed",
    read: (ctx) =>
      ctx.db.value("SELECT count(*)::int FROM member_permission_overrides WHERE member_id = $1 AND permission = $2", [
        ctx.input.memberId,
        ctx.input.permission,
      ]),
    changed: ({ before, after }) => {
      expect(before).toBe(1);
      expect(after).toBe(0);
    },
  },
  "member.remove": {
    audit: "member.removed",
    read: (ctx) => memberRole(ctx, ctx.input.memberId),
    changed: ({ before, after }) => {
      expect(before).not.toBeNull();
      expect(after).toBeNull();
    },
  },
  "member.leave": {
    audit: "member.left",
    read: (ctx) => ctx.db.rows("SELECT user_id FROM members WHERE organization_id = $1 ORDER BY user_id", [ctx.world.orgId]),
    changed: ({ caller, before, after }) => {
      expect(before).toContainEqual({ user_id: userIdOf(caller) });
      expect(after).not.toContainEqual({ user_id: userIdOf(caller) });
      expect(after).toHaveLength((before as unknown[]).length - 1);
    },
  },

  // ---- invitations ----
  "invitation.create": {
    audit: "invitation.created",
    read: (ctx) =>
      ctx.db.rows(
        "SELECT role::text, invited_by, accepted_at, revoked_at FROM invitations WHERE organization_id = $1 AND email = lower($2)",
        [ctx.world.orgId, ctx.input.email],
      ),
    changed: ({ input, caller, after }) =>
      expect(after).toEqual([{ role: input.role, invited_by: userIdOf(caller), accepted_at: null, revoked_at: null }]),
  },
  "invitation.revoke": {
    audit: "invitation.revoked",
    read: (ctx) => invitationRow(ctx, ctx.input.invitationId),
    changed: ({ before, after }) => {
      expect(before.revoked_at).toBeNull();
      expect(after.revoked_at).not.toBeNull();
    },
  },
  "invitation.resend": {
    audit: "invitation.resent",
    read: (ctx) => invitationRow(ctx, ctx.input.invitationId),
    changed: ({ before, after }) => {
      expect(after.token_hash).not.toBe(before.token_hash);
      expect(after.revoked_at).toBeNull();
    },
  },
  "invitation.accept": {
    audit: null, // the events go to the inviting organization, checked below
    read: async (ctx) => {
      const [invitation] = await ctx.db.rows<{ organization_id: string; accepted_at: Date | null; role: string }>(
        "SELECT organization_id, accepted_at, role::text FROM invitations WHERE token_hash = $1",
        [sha256(ctx.input.token)],
      );
      if (!invitation) return null;
      const role = await ctx.db.value("SELECT role::text FROM members WHERE organization_id = $1 AND user_id = $2", [
        invitation.organization_id,
        userIdOf(ctx.caller),
      ]);
      return { ...invitation, memberRole: role };
    },
    changed: async ({ db, caller, before, after }) => {
      expect(before).toMatchObject({ accepted_at: null, memberRole: null });
      expect(after.accepted_at).not.toBeNull();
      expect(after.memberRole).toBe(before.role);
      const events = await db.rows("SELECT action, actor_id FROM audit_events WHERE organization_id = $1", [before.organization_id]);
      expect(events).toContainEqual({ action: "invitation.accepted", actor_id: userIdOf(caller) });
      expect(events).toContainEqual({ action: "member.joined", actor_id: userIdOf(caller) });
    },
  },

  // ---- teams ----
  "team.create": {
    audit: "team.created",
    read: (ctx) =>
      ctx.db.value("SELECT count(*)::int FROM teams WHERE organization_id = $1 AND parent_team_id = $2 AND name = $3", [
        ctx.world.orgId,
        ctx.input.parentTeamId,
        ctx.input.name,
      ]),
    changed: ({ before, after }) => {
      expect(before).toBe(0);
      expect(after).toBe(1);
    },
  },
  "team.update": {
    audit: "team.updated",
    read: (ctx) => teamRow(ctx, ctx.input.teamId),
    changed: ({ input, after }) => expect(after.description).toBe(input.description),
  },
  "team.move": {
    audit: "team.moved",
    read: (ctx) => teamRow(ctx, ctx.input.teamId),
    changed: ({ input, before, after }) => {
      expect(before.parent_team_id).not.toBe(input.newParentTeamId);
      expect(after.parent_team_id).toBe(input.newParentTeamId);
    },
  },
  "team.delete": {
    audit: "team.deleted",
    read: (ctx) => teamRow(ctx, ctx.input.teamId),
    changed: ({ before, after }) => {
      expect(before).not.toBeNull();
      expect(after).toBeNull();
    },
  },
  "team.addMember": {
    audit: "team.member_added",
    read: (ctx) => membership(ctx, ctx.input.teamId, ctx.input.memberId),
    changed: ({ before, after }) => {
      expect(before).toBeNull();
      expect(after).toBe("member");
    },
  },
  "team.removeMember": {
    audit: "team.member_removed",
    read: (ctx) => membership(ctx, ctx.input.teamId, ctx.input.memberId),
    changed: ({ before, after }) => {
      expect(before).not.toBeNull();
      expect(after).toBeNull();
    },
  },
  "team.updateMemberRole": {
    audit: "team.member_role_updated",
    read: (ctx) => membership(ctx, ctx.input.teamId, ctx.input.memberId),
    changed: ({ input, before, after }) => {
      expect(before).toBe("member");
      expect(after).toBe(input.role);
    },
  },
  // ---- audit log ----
  "audit.setRetention": {
    audit: "audit.retention_updated",
    read: (ctx) => ctx.db.value<number>("SELECT audit_retention_days FROM organizations WHERE id = $1", [ctx.world.orgId]),
    changed: ({ input, after }) => expect(after).toBe(input.days),
  },
  // ---- API keys ----
  "apiKey.create": {
    audit: "api_key.created",
    read: (ctx) =>
      ctx.db.rows<{ id: string; key_hash: string; key_prefix: string; team_id: string | null; created_by: string | null }>(
        "SELECT id, key_hash, key_prefix, team_id, created_by FROM org_api_keys WHERE organization_id = $1 AND name = $2",
        [ctx.world.orgId, ctx.input.name],
      ),
    changed: ({ after, result, input, caller }) => {
      expect(after).toHaveLength(1);
      const [row] = after;
      expect(row.id).toBe(result.apiKey.id);
      expect(row.key_hash).not.toContain(result.key);
      expect(result.key.startsWith(row.key_prefix)).toBe(true);
      expect(row.team_id).toBe(input.teamId);
      expect(row.created_by).toBe(userIdOf(caller));
    },
  },
  "apiKey.update": {
    audit: "api_key.updated",
    read: (ctx) =>
      ctx.db.rows("SELECT name, rate_limit_per_minute FROM org_api_keys WHERE id = $1", [ctx.input.apiKeyId]).then((r) => r[0] ?? null),
    changed: ({ input, after }) => expect(after).toEqual({ name: input.name, rate_limit_per_minute: input.rateLimitPerMinute }),
  },
  "apiKey.revoke": {
    audit: "api_key.revoked",
    read: (ctx) =>
      ctx.db
        .rows<{ status: string; revoked_at: Date | null }>("SELECT status::text, revoked_at FROM org_api_keys WHERE id = $1", [
          ctx.input.apiKeyId,
        ])
        .then((r) => r[0] ?? null),
    changed: ({ before, after }) => {
      expect(before).toEqual({ status: "active", revoked_at: null });
      expect(after.status).toBe("revoked");
      expect(after.revoked_at).not.toBeNull();
    },
  },
  "apiKey.rotate": {
    audit: "api_key.rotated",
    read: (ctx) =>
      ctx.db
        .rows<{ expires_at: Date | null; replaced_by_id: string | null }>(
          "SELECT expires_at, replaced_by_id FROM org_api_keys WHERE id = $1",
          [ctx.input.apiKeyId],
        )
        .then((r) => r[0] ?? null),
    changed: ({ before, after, result, input }) => {
      expect(before).toEqual({ expires_at: null, replaced_by_id: null });
      expect(after.replaced_by_id).toBe(result.apiKey.id);
      const graceEnd = Date.now() + input.gracePeriodSeconds * 1000;
      expect(Math.abs((after.expires_at as Date).getTime() - graceEnd)).toBeLessThan(60_000);
    },
  },

  // ---- budgets and usage (spend is its own record, not an audit event: docs/budgets.md) ----
  "budget.set": {
    audit: "budget.created",
    read: (ctx) =>
      ctx.db
        .rows("SELECT period_limit::text, hard_limit FROM budgets WHERE organization_id = $1 AND scope = 'team' AND scope_id = $2", [
          ctx.world.orgId,
          ctx.input.scopeId,
        ])
        .then((r) => r[0] ?? null),
    changed: ({ before, after, input }) => {
      expect(before).toBeNull();
      expect(after).toEqual({ period_limit: input.periodLimit, hard_limit: true });
    },
  },
  "budget.requestIncrease": {
    audit: "budget.increase_requested",
    read: (ctx) =>
      ctx.db.rows("SELECT amount::text, status::text, requested_by, reason FROM budget_increase_requests WHERE budget_id = $1", [
        ctx.input.budgetId,
      ]),
    changed: ({ after, input, caller }) =>
      expect(after).toEqual([{ amount: input.amount, status: "pending", requested_by: userIdOf(caller), reason: input.reason }]),
  },
  "budget.decideIncrease": {
    audit: "budget.increase_approved",
    read: (ctx) =>
      ctx.db
        .rows("SELECT status::text, decided_by, decision_note FROM budget_increase_requests WHERE id = $1", [ctx.input.requestId])
        .then((r) => r[0] ?? null),
    changed: ({ before, after, input, caller }) => {
      expect(before).toEqual({ status: "pending", decided_by: null, decision_note: null });
      expect(after).toEqual({ status: "approved", decided_by: userIdOf(caller), decision_note: input.note });
    },
  },
  "budget.cancelIncreaseRequest": {
    audit: "budget.increase_cancelled",
    read: (ctx) =>
      ctx.db.rows("SELECT status::text FROM budget_increase_requests WHERE id = $1", [ctx.input.requestId]).then((r) => r[0] ?? null),
    changed: ({ before, after }) => {
      expect(before).toEqual({ status: "pending" });
      expect(after).toEqual({ status: "cancelled" });
    },
  },
  "price.set": {
    audit: "price.set",
    read: (ctx) =>
      ctx.db.rows(
        "SELECT input_price::text, output_price::text, effective_to FROM model_prices WHERE organization_id = $1 AND model = $2",
        [ctx.world.orgId, ctx.input.model],
      ),
    changed: ({ after, input }) =>
      expect(after).toEqual([{ input_price: input.inputPrice, output_price: input.outputPrice, effective_to: null }]),
  },
  "price.remove": {
    audit: "price.removed",
    read: (ctx) =>
      ctx.db
        .rows<{ effective_to: Date | null }>("SELECT effective_to FROM model_prices WHERE organization_id = $1 AND model = $2", [
          ctx.world.orgId,
          ctx.input.model,
        ])
        .then((r) => r.map((x) => x.effective_to !== null)),
    changed: ({ before, after }) => {
      expect(before).toEqual([false]);
      expect(after).toEqual([true]);
    },
  },
  "provider.create": {
    audit: "provider.created",
    read: (ctx) =>
      ctx.db.rows(
        "SELECT base_url, key_last4, models, model_aliases, timeout_ms, api_key_encrypted LIKE 'v1.%' AS sealed FROM provider_connections WHERE organization_id = $1 AND name = $2",
        [ctx.world.orgId, ctx.input.name],
      ),
    changed: ({ before, after, input }) => {
      expect(before).toEqual([]);
      expect(after).toEqual([
        {
          base_url: input.baseUrl,
          key_last4: "abcd",
          models: input.models,
          model_aliases: { fast: "gpt-4o-mini" },
          timeout_ms: 30_000,
          sealed: true,
        },
      ]);
    },
  },
  "provider.update": {
    audit: "provider.updated",
    read: (ctx) =>
      ctx.db
        .rows("SELECT timeout_ms, key_last4 FROM provider_connections WHERE id = $1", [ctx.input.connectionId])
        .then((r) => r[0] ?? null),
    changed: ({ before, after }) => {
      expect(before).toEqual({ timeout_ms: 60_000, key_last4: "1234" });
      expect(after).toEqual({ timeout_ms: 12_345, key_last4: "wxyz" });
    },
  },
  "provider.delete": {
    audit: "provider.deleted",
    read: (ctx) => ctx.db.value("SELECT count(*)::int FROM provider_connections WHERE id = $1", [ctx.input.connectionId]),
    changed: ({ before, after }) => {
      expect(before).toBe(1);
      expect(after).toBe(0);
    },
  },
  // Testing a connection calls the provider and changes nothing (nor is it audited).
  "provider.testConnection": {
    audit: null,
    read: (ctx) => ctx.db.rows("SELECT updated_at, api_key_encrypted FROM provider_connections WHERE id = $1", [ctx.input.connectionId]),
    changed: ({ before, after, result }) => {
      expect(after).toEqual(before);
      expect(result).toMatchObject({ ok: false, status: null });
    },
  },
  "alert.createChannel": {
    audit: "alert_channel.created",
    read: (ctx) =>
      ctx.db.rows("SELECT kind::text, email, url, enabled, secret_salt FROM alert_channels WHERE organization_id = $1 AND name = $2", [
        ctx.world.orgId,
        ctx.input.name,
      ]),
    changed: ({ before, after, input }) => {
      expect(before).toEqual([]);
      expect(after).toEqual([{ kind: "email", email: input.email, url: null, enabled: true, secret_salt: null }]);
    },
  },
  "alert.updateChannel": {
    audit: "alert_channel.updated",
    read: (ctx) => ctx.db.rows("SELECT name, enabled FROM alert_channels WHERE id = $1", [ctx.input.channelId]).then((r) => r[0] ?? null),
    changed: ({ before, after }) => {
      expect(before).toMatchObject({ enabled: true });
      expect(after).toEqual({ name: "Renamed", enabled: false });
    },
  },
  "alert.deleteChannel": {
    audit: "alert_channel.deleted",
    read: (ctx) => ctx.db.value("SELECT count(*)::int FROM alert_channels WHERE id = $1", [ctx.input.channelId]),
    changed: ({ before, after }) => {
      expect(before).toBe(1);
      expect(after).toBe(0);
    },
  },
  // Testing a webhook sends now and changes no row (nor is it audited); the fixture's target is
  // loopback, so the guard refuses it before any request.
  "alert.testChannel": {
    audit: null,
    read: (ctx) =>
      ctx.db.rows("SELECT name, url, secret_salt, enabled, updated_at FROM alert_channels WHERE id = $1", [ctx.input.channelId]),
    changed: ({ before, after, result }) => {
      expect(after).toEqual(before);
      expect(result).toMatchObject({ ok: false, status: null });
    },
  },
  "usage.reserve": {
    audit: null,
    read: (ctx) =>
      ctx.db.rows("SELECT amount::text, state::text FROM budget_reservations WHERE organization_id = $1 AND model = $2", [
        ctx.world.orgId,
        ctx.input.model,
      ]),
    changed: ({ after, input }) => expect(after).toEqual([{ amount: input.cost, state: "active" }]),
  },
  "usage.settle": {
    audit: null,
    read: (ctx) =>
      ctx.db
        .rows("SELECT state::text, actual_cost::text FROM budget_reservations WHERE id = $1", [ctx.input.reservationId])
        .then((r) => r[0] ?? null),
    changed: ({ before, after, input }) => {
      expect(before).toEqual({ state: "active", actual_cost: null });
      expect(after).toEqual({ state: "settled", actual_cost: input.cost });
    },
  },
  "usage.release": {
    audit: null,
    read: (ctx) =>
      ctx.db.rows("SELECT state::text FROM budget_reservations WHERE id = $1", [ctx.input.reservationId]).then((r) => r[0] ?? null),
    changed: ({ before, after }) => {
      expect(before).toEqual({ state: "active" });
      expect(after).toEqual({ state: "released" });
    },
  },
  "usage.record": {
    audit: null,
    read: (ctx) =>
      ctx.db.rows("SELECT cost::text, model FROM usage_records WHERE organization_id = $1 AND idempotency_key = $2", [
        ctx.world.orgId,
        ctx.input.idempotencyKey,
      ]),
    changed: ({ after, input }) => expect(after).toEqual([{ cost: input.cost, model: input.model }]),
  },

  // ---- personal access tokens (per person, no organization: no audit event) ----
  "personalToken.create": {
    audit: null,
    read: (ctx) => ctx.db.value("SELECT count(*)::int FROM personal_access_tokens WHERE user_id = $1", [userIdOf(ctx.caller)]),
    changed: async ({ db, caller, input, before, after, result }) => {
      expect(after).toBe((before as number) + 1);
      const [row] = await db.rows<{ user_id: string; token_hash: string; token_prefix: string; scopes: string[] }>(
        "SELECT user_id, token_hash, token_prefix, scopes FROM personal_access_tokens WHERE id = $1",
        [result.personalToken.id],
      );
      expect(row?.user_id).toBe(userIdOf(caller));
      expect(row?.scopes).toEqual(input.scopes);
      // Only a hash is stored: never the token the caller saw.
      expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row?.token_hash).not.toContain(result.token);
      expect(result.token.startsWith(row?.token_prefix as string)).toBe(true);
    },
  },
  "personalToken.revoke": {
    audit: null,
    read: (ctx) => ctx.db.value("SELECT revoked_at FROM personal_access_tokens WHERE id = $1", [ctx.input.tokenId]),
    changed: ({ before, after }) => {
      expect(before).toBeNull();
      expect(after).not.toBeNull();
    },
  },
};
