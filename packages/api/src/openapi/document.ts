import { generateOpenApiDocument } from "trpc-to-openapi";
import { appRouter } from "../root.js";
import type { RouterMeta } from "../trpc.js";
import { ERROR_RESPONSES, ZRestError } from "./error.js";
import { restRoutes } from "./routes.js";
import type { OpenApiDocument } from "./types.js";

/** Where the gateway mounts the REST mirror; paths in the document are relative to it. */
export const REST_PREFIX = "/v1";
export const REST_API_VERSION = "1.0.0";

const TAGS = ["Organizations", "Members", "Teams", "Invitations", "API keys", "Budgets", "Usage", "Audit log", "Permissions", "Me"];

const IDEMPOTENCY_KEY = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Retrying a write with the same key and body answers the first result instead of writing twice (24 h, per credential). " +
    "The same key with another body: 409 IDEMPOTENCY_KEY_REUSED; while the first call runs: 409 IDEMPOTENCY_IN_PROGRESS.",
  schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]+$" },
};

/** Who may call, read off the procedure's declaration, so the document says what the chain enforces. */
function callers(meta: RouterMeta): string | undefined {
  if (meta.access === "authenticated") {
    // `personalTokens: true`: a person's access token may act as the person here.
    return Reflect.get(meta, "personalTokens") === true
      ? "Acts as a person: takes a personal access token (API keys get 403)."
      : "For a signed-in person only: API keys and personal access tokens get 403.";
  }
  if (meta.permission) {
    const base = `Needs \`${meta.permission}\` in the organization: by the member's role or grants, an API key's scopes, or a personal access token's scopes within its person's permissions.`;
    return meta.apiKeys === false ? `${base} Kept for signed-in people: API keys and personal access tokens get 403.` : base;
  }
  return undefined;
}

function build(): OpenApiDocument {
  const document = generateOpenApiDocument(appRouter, {
    title: "AI Hub Enterprise API",
    description:
      "REST mirror of the AI Hub Enterprise API for callers not written in TypeScript. Same procedures, " +
      "same validation and authorization as the typed API. JSON in and out; instants are ISO 8601 strings.",
    version: REST_API_VERSION,
    openApiVersion: "3.1.0",
    baseUrl: REST_PREFIX,
    tags: TAGS,
    securitySchemes: {
      bearerAuth: {
        type: "http",
        scheme: "bearer",
        description: "An organization API key (`aih_…`) or a personal access token, as `Authorization: Bearer <token>`.",
      },
    },
    defs: { Error: ZRestError },
  });
  // trpc-to-openapi describes errors as { message, code, issues }; ours carry the request id and
  // field errors instead (see rest-handler.ts), so every operation points at our Error schema.
  const components = document.components ?? {};
  components.responses = Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, description]) => [
      `Error${status}`,
      { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
    ]),
  );
  for (const name of Object.keys(components.schemas ?? {})) {
    if (name.startsWith("error.")) delete components.schemas?.[name];
  }
  document.components = components;
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      const success = operation.responses["200"];
      operation.responses = {
        "200": success,
        ...Object.fromEntries(Object.keys(ERROR_RESPONSES).map((status) => [status, { $ref: `#/components/responses/Error${status}` }])),
      };
    }
  }
  for (const route of restRoutes()) {
    const operation = document.paths?.[route.path]?.[route.method.toLowerCase()];
    if (!operation) continue;
    if (route.type === "mutation") operation.parameters = [...(operation.parameters ?? []), IDEMPOTENCY_KEY];
    const who = callers(route.meta);
    if (who) operation.description = who;
  }
  return document;
}

let built: OpenApiDocument | undefined;

/**
 * The OpenAPI 3.1 document of the REST mirror, built from the router's zod schemas on first use
 * and kept (not at import: the console and tools that import the API never serve it).
 */
export function getOpenApiDocument(): OpenApiDocument {
  built ??= build();
  return built;
}
