import type { AnyProcedure } from "@trpc/server";
import { appRouter } from "../root.js";
import type { RouterMeta } from "../trpc.js";
import type { OpenApiRoute } from "./types.js";

/** One REST route: a procedure with `openapi` meta, matched by method and path. */
export interface RestRoute {
  method: OpenApiRoute["method"];
  /** As in the document, relative to the mount (`/organizations/{orgId}/teams`). */
  path: string;
  /** The procedure's path in the router (`team.list`). */
  procedure: string;
  /** Mutations take an `Idempotency-Key` (middleware/idempotency.ts). */
  type: "query" | "mutation";
  /** Who may call it (the procedure's declaration). */
  meta: RouterMeta;
  /** Names of the `{…}` segments, in order. */
  params: string[];
  pattern: RegExp;
  /** The zod object shapes of the procedure's inputs (chain and procedure), to read query strings by type. */
  shapes: Record<string, unknown>[];
}

function compile(path: string): { params: string[]; pattern: RegExp } {
  const params: string[] = [];
  const source = path
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      params.push(param[1]);
      return "([^/]+)";
    })
    .join("/");
  return { params, pattern: new RegExp(`^${source}$`) };
}

function shapeOf(input: unknown): Record<string, unknown> | undefined {
  const def = (input as { _zod?: { def?: { type?: string; shape?: Record<string, unknown> } } })?._zod?.def;
  return def?.type === "object" ? def.shape : undefined;
}

/**
 * Every procedure carrying `openapi` meta, as a route. Literal segments win over parameters
 * (routes with fewer parameters are tried first), so `/a/verify` is never read as `/a/{id}`.
 */
export function restRoutes(): RestRoute[] {
  const routes: RestRoute[] = [];
  for (const [name, procedure] of Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>)) {
    const meta = procedure._def.meta as RouterMeta | undefined;
    const openapi = meta?.openapi;
    if (!meta || !openapi || openapi.enabled === false) continue;
    const shapes = (procedure._def.inputs as unknown[]).map(shapeOf).filter((shape) => shape !== undefined);
    const type = procedure._def.type === "mutation" ? "mutation" : "query";
    routes.push({ method: openapi.method, path: openapi.path, procedure: name, type, meta, shapes, ...compile(openapi.path) });
  }
  return routes.sort((a, b) => a.params.length - b.params.length);
}
