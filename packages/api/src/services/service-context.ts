import type { Database } from "@aihub/db";
import { DomainError } from "../errors.js";
import type { ActorAccess } from "../rbac/access.js";
import type { Store } from "../store/index.js";

/** Who acts, as the audit trail records them: a person, an organization API key, or the system itself. */
export type Actor = { type: "user"; id: string } | { type: "api_key"; id: string } | { type: "system"; id?: null };

/** Where a request came from, as the audit row records it. */
export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

/** What a service about the caller's own account or organizations needs. Built once by `authedProcedure`. */
export interface UserServiceContext {
  db: Database;
  store: Store;
  userId: string;
  request: RequestMeta;
}

/** What an organization-scoped service needs: the handles, who acts, and the request for the audit row. Built once by `orgProcedure`. */
export interface OrgServiceContext {
  db: Database;
  store: Store;
  orgId: string;
  access: ActorAccess;
  actor: Actor;
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

/** The request part of a context. */
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
