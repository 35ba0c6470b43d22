import { randomUUID } from "node:crypto";
import type { Database } from "@aihub/db";
import type { Permission } from "./rbac/permissions.js";
import { getStore, type Store } from "./store/index.js";

/**
 * Who is calling: a signed-in user (console), an organization API key (gateway), or a person's
 * personal access token (gateway): the person, held to the token's scopes in every organization.
 */
export type Identity =
  | { kind: "user"; userId: string }
  | { kind: "api_key"; apiKeyId: string; orgId: string; teamId: string | null; scopes: Permission[] }
  | { kind: "personal_token"; userId: string; tokenId: string; scopes: Permission[] };

/** Everything a procedure may use; built per request. */
export interface Context {
  db: Database;
  store: Store;
  identity: Identity | null;
  /** Echoed in responses and logs so a report can be matched to its server-side record. */
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /**
   * The caller's `Idempotency-Key` header, if any: a mutation retried with the same key (and
   * the same input) answers the first result instead of running again (middleware/idempotency.ts).
   */
  idempotencyKey: string | null;
}

export interface InnerContextInput {
  db: Database;
  store?: Store;
  identity?: Identity | null;
  requestId?: string;
  ip?: string | null;
  userAgent?: string | null;
  idempotencyKey?: string | null;
}

/** The transport-independent context: servers build it from a request, tests directly. */
export function createInnerContext(input: InnerContextInput): Context {
  return {
    db: input.db,
    store: input.store ?? getStore(),
    identity: input.identity ?? null,
    requestId: input.requestId ?? randomUUID(),
    ip: input.ip ?? null,
    userAgent: input.userAgent ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
  };
}
