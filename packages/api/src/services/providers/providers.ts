import { randomUUID } from "node:crypto";
import type { Database, TenantTransaction } from "@aihub/db";
import { DomainError, notFound } from "../../errors.js";
import { audit } from "../audit/audit.js";
import type { OrgServiceContext } from "../service-context.js";
import { assertPublicBaseUrl } from "./address-guard.js";
import { decryptCredential, encryptCredential, last4 } from "./credential-crypto.js";

/**
 * Provider connections (docs/models.md): where an organization's model calls go. Admins and
 * owners create, change, test and delete them, audited; the credential is encrypted at rest and
 * never returned (only its last four characters). The gateway reads them with
 * `providerRoutes` to pick the connection that serves a model.
 */

interface ConnectionRow {
  id: string;
  name: string;
  base_url: string;
  api_key_encrypted: string;
  key_last4: string;
  models: string[];
  model_aliases: Record<string, string>;
  timeout_ms: number;
  status: "active" | "disabled";
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, name, base_url, api_key_encrypted, key_last4, models, model_aliases, timeout_ms, status, created_by, created_at, updated_at`;

const view = (r: ConnectionRow) => ({
  id: r.id,
  name: r.name,
  baseUrl: r.base_url,
  keyLast4: r.key_last4,
  models: r.models,
  modelAliases: Object.entries(r.model_aliases).map(([alias, model]) => ({ alias, model })),
  timeoutMs: r.timeout_ms,
  status: r.status,
  createdById: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** What the audit trail keeps of a connection: never the credential, only its last four characters. */
const audited = (r: ConnectionRow) => ({
  name: r.name,
  baseUrl: r.base_url,
  keyLast4: r.key_last4,
  models: r.models,
  modelAliases: r.model_aliases,
  timeoutMs: r.timeout_ms,
  status: r.status,
});

/** A trailing slash is dropped: paths are appended as `${baseUrl}/chat/completions`. */
const normalizeBaseUrl = (url: string) => url.replace(/\/+$/, "");

async function lockConnections(tx: TenantTransaction, orgId: string) {
  // One change of an organization's connections at a time: the name check below then holds.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`providers:${orgId}`}, 0))`;
}

async function assertNameFree(tx: TenantTransaction, orgId: string, name: string, except: string | null) {
  const [taken] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM provider_connections WHERE organization_id = ${orgId}::uuid AND name = ${name} AND id IS DISTINCT FROM ${except}::uuid`;
  if (taken)
    throw new DomainError("CONFLICT", "A provider connection already has this name", { field: "name", reason: "PROVIDER_NAME_TAKEN" });
}

async function loadConnection(tx: TenantTransaction, orgId: string, id: string, lock = false): Promise<ConnectionRow> {
  const rows = await tx.$queryRawUnsafe<ConnectionRow[]>(
    `SELECT ${COLUMNS} FROM provider_connections WHERE organization_id = $1::uuid AND id = $2::uuid${lock ? " FOR UPDATE" : ""}`,
    orgId,
    id,
  );
  const row = rows[0];
  if (!row) throw notFound("Provider connection");
  return row;
}

export async function listProviders(ctx: OrgServiceContext) {
  const rows = await ctx.db.withTenant({ orgId: ctx.orgId }, (tx) =>
    tx.$queryRawUnsafe<ConnectionRow[]>(
      `SELECT ${COLUMNS} FROM provider_connections WHERE organization_id = $1::uuid ORDER BY created_at, id`,
      ctx.orgId,
    ),
  );
  return { items: rows.map(view) };
}

export interface CreateProviderInput {
  name: string;
  baseUrl: string;
  apiKey: string;
  models: string[];
  modelAliases: Alias[];
  timeoutMs: number;
}

export interface Alias {
  alias: string;
  model: string;
}
const aliasMap = (aliases: Alias[]) => Object.fromEntries(aliases.map((a) => [a.alias, a.model]));

export async function createProvider(ctx: OrgServiceContext, input: CreateProviderInput) {
  const baseUrl = normalizeBaseUrl(input.baseUrl);
  await assertPublicBaseUrl(baseUrl);
  const id = randomUUID();
  const encrypted = encryptCredential(input.apiKey, id);
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    await lockConnections(tx, ctx.orgId);
    await assertNameFree(tx, ctx.orgId, input.name, null);
    const [row] = await tx.$queryRawUnsafe<ConnectionRow[]>(
      `INSERT INTO provider_connections (id, organization_id, name, base_url, api_key_encrypted, key_last4, models, model_aliases, timeout_ms, created_by)
       VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7::text[], $8::jsonb, $9, $10::uuid) RETURNING ${COLUMNS}`,
      id,
      ctx.orgId,
      input.name,
      baseUrl,
      encrypted,
      last4(input.apiKey),
      input.models,
      JSON.stringify(aliasMap(input.modelAliases)),
      input.timeoutMs,
      ctx.userId,
    );
    const saved = row as ConnectionRow;
    await audit(tx, ctx, { action: "provider.created", targetId: id, before: null, after: audited(saved) });
    return view(saved);
  });
}

export interface UpdateProviderInput {
  connectionId: string;
  name?: string;
  baseUrl?: string;
  apiKey?: string;
  models?: string[];
  modelAliases?: Alias[];
  timeoutMs?: number;
  status?: "active" | "disabled";
}

export async function updateProvider(ctx: OrgServiceContext, input: UpdateProviderInput) {
  const baseUrl = input.baseUrl === undefined ? undefined : normalizeBaseUrl(input.baseUrl);
  if (baseUrl !== undefined) await assertPublicBaseUrl(baseUrl);
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    await lockConnections(tx, ctx.orgId);
    const old = await loadConnection(tx, ctx.orgId, input.connectionId, true);
    if (input.name !== undefined) await assertNameFree(tx, ctx.orgId, input.name, old.id);
    const [row] = await tx.$queryRawUnsafe<ConnectionRow[]>(
      `UPDATE provider_connections SET name = $3, base_url = $4, api_key_encrypted = $5, key_last4 = $6, models = $7::text[],
              model_aliases = $8::jsonb, timeout_ms = $9, status = $10, updated_at = now()
        WHERE organization_id = $1::uuid AND id = $2::uuid RETURNING ${COLUMNS}`,
      ctx.orgId,
      old.id,
      input.name ?? old.name,
      baseUrl ?? old.base_url,
      input.apiKey === undefined ? old.api_key_encrypted : encryptCredential(input.apiKey, old.id),
      input.apiKey === undefined ? old.key_last4 : last4(input.apiKey),
      input.models ?? old.models,
      JSON.stringify(input.modelAliases ? aliasMap(input.modelAliases) : old.model_aliases),
      input.timeoutMs ?? old.timeout_ms,
      input.status ?? old.status,
    );
    const saved = row as ConnectionRow;
    // A rotated credential shows as a new last4 (and the action says so); the credential never enters the trail.
    const after = { ...audited(saved), ...(input.apiKey === undefined ? {} : { credentialRotated: true }) };
    await audit(tx, ctx, { action: "provider.updated", targetId: old.id, before: audited(old), after });
    return view(saved);
  });
}

export async function deleteProvider(ctx: OrgServiceContext, input: { connectionId: string }) {
  return ctx.db.withTenant({ orgId: ctx.orgId }, async (tx) => {
    const old = await loadConnection(tx, ctx.orgId, input.connectionId, true);
    await tx.$executeRaw`DELETE FROM provider_connections WHERE organization_id = ${ctx.orgId}::uuid AND id = ${old.id}::uuid`;
    await audit(tx, ctx, { action: "provider.deleted", targetId: old.id, before: audited(old), after: null });
    return { id: old.id, deleted: true as const };
  });
}

/**
 * Calls the provider's `GET {baseUrl}/models` with the stored credential and reports what came
 * back (never the credential, never the upstream's body beyond model ids). Changes nothing.
 */
export async function testProvider(ctx: OrgServiceContext, input: { connectionId: string }) {
  const row = await ctx.db.withTenant({ orgId: ctx.orgId }, (tx) => loadConnection(tx, ctx.orgId, input.connectionId));
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  try {
    await assertPublicBaseUrl(row.base_url);
  } catch (error) {
    return { ok: false, status: null, models: [], message: (error as Error).message, latencyMs: 0 };
  }
  const signal = AbortSignal.timeout(Math.min(row.timeout_ms, 15_000));
  try {
    const res = await fetch(`${row.base_url}/models`, {
      headers: { authorization: `Bearer ${decryptCredential(row.api_key_encrypted, row.id)}` },
      signal,
      redirect: "manual",
    });
    const body = (await res.json().catch(() => null)) as { data?: { id?: unknown }[] } | null;
    const models = (body?.data ?? [])
      .map((m) => m?.id)
      .filter((id): id is string => typeof id === "string")
      .slice(0, 100);
    return {
      ok: res.ok,
      status: res.status,
      models,
      message: res.ok ? `Connected: ${models.length} models listed` : `The provider answered HTTP ${res.status}`,
      latencyMs: latencyMs(),
    };
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    return {
      ok: false,
      status: null,
      models: [],
      message: timedOut ? "The provider did not answer in time" : "The provider could not be reached",
      latencyMs: latencyMs(),
    };
  }
}

/** One active connection as the gateway uses it: the credential decrypted, in memory only. */
export interface ProviderRoute {
  connectionId: string;
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  /** The models it serves, as callers name them (its models and its aliases). */
  models: string[];
  aliases: Record<string, string>;
}

export interface GatewayRouting {
  /** The key's allow-list (empty: every model its connections serve). */
  allowedModels: string[];
  routes: ProviderRoute[];
}

/**
 * What the gateway needs for a key's call: the key's `allowed_models` and the organization's
 * active connections in creation order (the first serving a model wins). One round trip (a
 * tenant-scoped read through the pool, no interactive transaction: a burst of calls waits for a
 * connection, never for a transaction slot).
 */
export async function providerRoutes(db: Database, orgId: string, apiKeyId: string): Promise<GatewayRouting> {
  const [row] = await db.tenantRead<{ allowed_models: string[] | null; connections: ConnectionRow[] }>(
    { orgId },
    `SELECT (SELECT allowed_models FROM org_api_keys WHERE organization_id = $1::uuid AND id = $2::uuid) AS allowed_models,
            coalesce((SELECT json_agg(json_build_object('id', id, 'base_url', base_url, 'api_key_encrypted', api_key_encrypted,
                                                        'models', models, 'model_aliases', model_aliases, 'timeout_ms', timeout_ms)
                                      ORDER BY created_at, id)
                        FROM provider_connections WHERE organization_id = $1::uuid AND status = 'active'), '[]'::json) AS connections`,
    [orgId, apiKeyId],
  );
  return {
    allowedModels: row?.allowed_models ?? [],
    routes: (row?.connections ?? []).map((r) => ({
      connectionId: r.id,
      baseUrl: r.base_url,
      apiKey: decryptCredential(r.api_key_encrypted, r.id),
      timeoutMs: r.timeout_ms,
      models: [...new Set([...r.models, ...Object.keys(r.model_aliases)])],
      aliases: r.model_aliases,
    })),
  };
}

/** The connection serving `model` (as the caller names it) and the provider's name for it, or null. */
export function routeFor(routing: GatewayRouting, model: string): { route: ProviderRoute; upstreamModel: string } | null {
  for (const route of routing.routes) {
    const alias = route.aliases[model];
    if (alias !== undefined) return { route, upstreamModel: alias };
    if (route.models.includes(model)) return { route, upstreamModel: model };
  }
  return null;
}

/** Whether the key may call `model` (an empty allow-list allows every model). */
export const keyAllows = (routing: GatewayRouting, model: string) =>
  routing.allowedModels.length === 0 || routing.allowedModels.includes(model);
