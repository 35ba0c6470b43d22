import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { getErrorShape } from "@trpc/server/unstable-core-do-not-import";
import type { Context } from "../context.js";
import { type PublicErrorShape, toTRPCError } from "../errors.js";
import { appRouter, createCaller } from "../root.js";
import { getOpenApiDocument, REST_PREFIX } from "./document.js";
import type { RestError } from "./error.js";
import { type RestRoute, restRoutes } from "./routes.js";

export interface RestHandlerOptions {
  /** Builds the procedures' context from the request (the gateway: from the bearer token). */
  createContext: (request: Request) => Promise<Context>;
  /** Told of every failure (after formatting), e.g. to log internal errors with their cause. */
  onError?: (failure: { error: TRPCError; procedure: string | undefined; requestId: string; request: Request }) => void;
}

// Computed once per process, on the first handler, so a server may create a handler per request
// (to close over that request's facts in createContext) at no cost.
let prepared: { routes: RestRoute[]; documentBody: string } | undefined;
const prepare = () => {
  prepared ??= { routes: restRoutes(), documentBody: JSON.stringify(getOpenApiDocument()) };
  return prepared;
};

/** Bodies larger than this are refused (413) before parsing. */
const MAX_BODY_BYTES = 1024 * 1024;
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

/**
 * The REST mirror: `GET /v1/openapi.json` and every route of the document under `/v1`.
 * Each route calls its procedure through the router (same validation, authorization, audit);
 * answers are plain JSON (instants as ISO 8601 strings), errors `{ error: { code, message,
 * requestId, fieldErrors?, details? } }` formatted by the router's own error formatter.
 *
 * Not trpc-to-openapi's fetch adapter: it marks the input schemas' number and boolean fields
 * `coerce` in place (so `?flag=false` reads as true, and the typed API would coerce too), and
 * it has no 405. Query strings are read here by the field's type instead, without touching schemas.
 */
export function createRestHandler(options: RestHandlerOptions): (request: Request) => Promise<Response> {
  const { routes, documentBody } = prepare();
  return async (request) => {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const fallbackRequestId = requestIdOf(request);
    let route: RestRoute | undefined;
    let ctx: Context | undefined;
    try {
      const path = relativePath(url.pathname);
      if (path === "/openapi.json") {
        if (method !== "GET" && method !== "HEAD") throw methodNotAllowed(["GET", "HEAD"]);
        return new Response(method === "HEAD" ? null : documentBody, { status: 200, headers: JSON_HEADERS });
      }
      const matches = path === undefined ? [] : routes.filter((candidate) => candidate.pattern.test(path));
      route = matches.find((candidate) => candidate.method === method);
      if (!route) {
        if (matches.length > 0) throw methodNotAllowed([...new Set(matches.map((candidate) => candidate.method))]);
        throw new TRPCError({ code: "NOT_FOUND", message: `No route ${method} ${url.pathname}` });
      }
      ctx = await options.createContext(request);
      const input = { ...(await readInput(request, url, route)), ...pathParams(route, path as string) };
      const output = await callProcedure(createCaller(ctx), route.procedure, input);
      return new Response(JSON.stringify(output ?? null, jsonReplacer), { status: 200, headers: JSON_HEADERS });
    } catch (cause) {
      const error = cause instanceof MethodNotAllowed ? cause.error : toTRPCError(cause);
      const requestId = ctx?.requestId ?? fallbackRequestId;
      options.onError?.({ error, procedure: route?.procedure, requestId, request });
      const headers: Record<string, string> = { ...JSON_HEADERS };
      if (cause instanceof MethodNotAllowed) headers.allow = cause.allow.join(", ");
      const { status, body } = formatError(error, route?.procedure, ctx, requestId);
      const retryAfter = body.error.details?.retryAfterSeconds;
      if (typeof retryAfter === "number") headers["retry-after"] = String(Math.max(1, Math.ceil(retryAfter)));
      return new Response(JSON.stringify(body), { status, headers });
    }
  };
}

/** The path below the mount, without a trailing slash; undefined outside it. */
function relativePath(pathname: string): string | undefined {
  if (pathname !== REST_PREFIX && !pathname.startsWith(`${REST_PREFIX}/`)) return undefined;
  const path = pathname.slice(REST_PREFIX.length).replace(/\/+$/, "");
  return path === "" ? "/" : path;
}

/** A request id the caller sent (the gateway's, when it set one), else a fresh one. */
function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

class MethodNotAllowed extends Error {
  readonly error: TRPCError;
  constructor(readonly allow: string[]) {
    super("Method not allowed");
    this.error = new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: `This route takes ${allow.join(", ")}` });
  }
}
const methodNotAllowed = (allow: string[]) => new MethodNotAllowed(allow);

function pathParams(route: RestRoute, path: string): Record<string, string> {
  const values = route.pattern.exec(path)?.slice(1) ?? [];
  const params: Record<string, string> = {};
  route.params.forEach((name, index) => {
    try {
      params[name] = decodeURIComponent(values[index] ?? "");
    } catch {
      throw new TRPCError({ code: "BAD_REQUEST", message: `The path segment for ${name} is not valid percent-encoding` });
    }
  });
  return params;
}

/** GET and DELETE take the query string; POST, PUT and PATCH a JSON object body (or none). */
async function readInput(request: Request, url: URL, route: RestRoute): Promise<Record<string, unknown>> {
  if (route.method === "GET" || route.method === "DELETE") return readQuery(url, route);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: "The request body is too large" });
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    throw new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: "The request body is too large" });
  if (text.trim() === "") return {};
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the body as application/json" });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new TRPCError({ code: "BAD_REQUEST", message: "The request body is not valid JSON" });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "The request body must be a JSON object" });
  }
  return body as Record<string, unknown>;
}

type FieldKind = "number" | "boolean" | "array" | "other";

/** What a query parameter must become for its schema: unwraps optional, nullable, default, pipes. */
function kindOf(schema: unknown): { kind: FieldKind; element?: unknown } {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
  switch (def?.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
      return kindOf(def.innerType);
    case "pipe":
      return kindOf(def.in);
    case "number":
    case "int":
      return { kind: "number" };
    case "boolean":
      return { kind: "boolean" };
    case "array":
      return { kind: "array", element: def.element };
    default:
      return { kind: "other" };
  }
}

/** Only exact spellings convert; anything else stays text and fails validation as a typed 400. */
function scalar(kind: FieldKind, value: string): unknown {
  if (kind === "number" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (kind === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}

function readQuery(url: URL, route: RestRoute): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    const schema = route.shapes.find((shape) => key in shape)?.[key];
    const { kind, element } = kindOf(schema);
    if (kind === "array") input[key] = values.map((value) => scalar(kindOf(element).kind, value));
    else input[key] = values.length === 1 ? scalar(kind, values[0] as string) : values;
  }
  return input;
}

function callProcedure(caller: unknown, procedure: string, input: Record<string, unknown>): Promise<unknown> {
  const fn = procedure.split(".").reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], caller);
  return (fn as (input: unknown) => Promise<unknown>)(input);
}

/** JSON has no bigint: none is in an output today; should one be, it leaves as a decimal string. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** The router's error formatter decides what leaves (masking, field errors, details); REST flattens it. */
function formatError(
  error: TRPCError,
  procedure: string | undefined,
  ctx: Context | undefined,
  requestId: string,
): { status: number; body: RestError } {
  const shape = getErrorShape({
    config: appRouter._def._config,
    error,
    type: "unknown",
    path: procedure,
    input: undefined,
    // Without a context (no route, no credentials yet) the formatter still quotes the request id.
    ctx: ctx ?? ({ requestId } as Context),
  }) as PublicErrorShape;
  const invalidInput = shape.data.code === "BAD_REQUEST" && shape.data.fieldErrors !== undefined && !shape.data.details;
  const body: RestError = {
    error: {
      code: shape.data.code,
      // A validation error's own message is the raw issue list; fieldErrors carries it, readably.
      message: invalidInput ? "Invalid input" : shape.message,
      requestId,
      ...(shape.data.fieldErrors ? { fieldErrors: shape.data.fieldErrors } : {}),
      ...(shape.data.details ? { details: shape.data.details } : {}),
    },
  };
  return { status: shape.data.httpStatus, body };
}
