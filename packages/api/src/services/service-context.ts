import type { Database } from "@aihub/db";
import type { ActorAccess } from "../rbac/access.js";
import type { Store } from "../store/index.js";
import type { AuditActor, RequestMeta } from "./audit/audit.js";

/** What an organization-scoped service needs: the handles, who acts, and the request for the audit row. */
export interface OrgServiceContext {
  db: Database;
  store: Store;
  orgId: string;
  access: ActorAccess;
  actor: AuditActor;
  /** The acting user, when the actor is one. */
  userId: string | null;
  request: RequestMeta;
}

/** Turns a raw database error from our own triggers into a readable precondition. */
export function constraintName(error: unknown): string | undefined {
  const text = String((error as { message?: string })?.message ?? "");
  return /(teams_max_depth|teams_no_cycle|members_last_owner)/.exec(text)?.[1];
}

interface OrgRequestContext {
  db: Database;
  store: Store;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  org: { orgId: string; access: ActorAccess; actor: { type: "user"; userId: string } | { type: "api_key"; apiKeyId: string } };
}

/** The service context of an org procedure's request. */
export function orgServiceContext(ctx: OrgRequestContext): OrgServiceContext {
  const { actor } = ctx.org;
  return {
    db: ctx.db,
    store: ctx.store,
    orgId: ctx.org.orgId,
    access: ctx.org.access,
    actor: actor.type === "user" ? { type: "user", id: actor.userId } : { type: "api_key", id: actor.apiKeyId },
    userId: actor.type === "user" ? actor.userId : null,
    request: { requestId: ctx.requestId, ip: ctx.ip, userAgent: ctx.userAgent },
  };
}

/** The request part of a context, for services called outside an organization (create, accept). */
export function requestMeta(ctx: { requestId: string; ip: string | null; userAgent: string | null }): RequestMeta {
  return { requestId: ctx.requestId, ip: ctx.ip, userAgent: ctx.userAgent };
}
