import type { World } from "./world.js";

/** Who is calling, so a fixture can prepare what that caller needs (e.g. their own password). */
export type Caller = { kind: "user"; userId: string } | { kind: "api_key" } | { kind: "anonymous" };

/** Builds a valid input for one call of a procedure against the world's organization. */
export type ProcedureFixture = (world: World, caller: Caller) => Promise<unknown>;

/**
 * Marks a fixture whose procedure changes the world for everyone (deletes the org, removes the
 * caller): the matrix then gives each call a fresh world.
 */
export function isolated(fixture: ProcedureFixture): ProcedureFixture & { isolated: true } {
  return Object.assign(fixture, { isolated: true as const });
}
