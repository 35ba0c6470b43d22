// What this package uses of trpc-to-openapi, for the type checker only (tsconfig "paths" maps the
// module here; at run time the real package loads). Its own declarations re-export the Next.js
// adapter, whose types add Next's globals to every program that sees them (see types.ts).
import type { OpenApiDocument } from "./types.js";

export interface GenerateOpenApiDocumentOptions {
  title: string;
  description?: string;
  version: string;
  openApiVersion?: "3.1.0";
  baseUrl: string;
  tags?: string[];
  securitySchemes?: Record<string, { type: "http"; scheme: string; description?: string }>;
  /** Zod schemas put under components.schemas, by name. */
  defs?: Record<string, unknown>;
}

export declare function generateOpenApiDocument(router: unknown, options: GenerateOpenApiDocumentOptions): OpenApiDocument;
