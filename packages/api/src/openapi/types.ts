/**
 * The `openapi` meta a procedure carries to be mirrored over REST: trpc-to-openapi's route meta
 * (the fields this project uses). Declared here rather than imported: trpc-to-openapi's type
 * declarations re-export its Next.js adapter, whose types bring Next's globals (a required
 * `NODE_ENV` in `ProcessEnv`) into every program that sees them, including the gateway's.
 */
export interface OpenApiRoute {
  enabled?: boolean;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Relative to the mount (`/v1`), with `{param}` segments named after input fields. */
  path: `/${string}`;
  operationId?: string;
  summary?: string;
  description?: string;
  /** Whether the operation needs the bearer credential (default true). */
  protect?: boolean;
  tags?: string[];
  deprecated?: boolean;
}

/** An OpenAPI 3.1 document, as far as this project reads it. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags?: { name: string }[];
  paths?: Record<string, Record<string, OpenApiOperation>>;
  components?: {
    schemas?: Record<string, unknown>;
    responses?: Record<string, unknown>;
    securitySchemes?: Record<string, unknown>;
  };
  [extension: string]: unknown;
}

export interface OpenApiOperation {
  operationId: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  [field: string]: unknown;
}
