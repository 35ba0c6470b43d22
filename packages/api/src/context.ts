import { randomUUID } from "node:crypto";
import type { Database } from "@aihub/db";

/** Everything a procedure may use; built per request. */
export interface Context {
  db: Database;
  /** Echoed in responses and logs so a report can be matched to its server-side record. */
  requestId: string;
}

/** For tests and servers alike: the transport-independent part of the context. */
export function createInnerContext(input: { db: Database; requestId?: string }): Context {
  return { db: input.db, requestId: input.requestId ?? randomUUID() };
}
