import type { Database } from "@aihub/db";
import { DomainError } from "../errors.js";
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

/** Our triggers' errors, by constraint name or (where the driver drops the name) by message. */
const TRIGGER_ERRORS = [
  { name: "teams_max_depth", pattern: /teams_max_depth|levels deep; at most/ },
  { name: "teams_no_cycle", pattern: /teams_no_cycle|under its own descendant/ },
  { name: "members_last_owner", pattern: /members_last_owner|would have no owner/ },
] as const;

/** Which of our own database triggers refused a change, if one did. */
export function constraintName(error: unknown): (typeof TRIGGER_ERRORS)[number]["name"] | undefined {
  const text = String((error as { message?: string })?.message ?? "");
  return TRIGGER_ERRORS.find((e) => e.pattern.test(text))?.name;
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

/** Rethrows the database's last-owner refusal as the same PRECONDITION_FAILED the services give. */
export function rethrowLastOwner(error: unknown): never {
  if (constraintName(error) === "members_last_owner") {
    throw new DomainError("PRECONDITION_FAILED", "An organization needs at least one owner", { reason: "LAST_OWNER" });
  }
  throw error;
}
