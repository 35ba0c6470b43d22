import { z } from "zod";
import type { OpenApiDocument } from "../openapi/types.js";

type Json = Record<string, unknown>;

/** `#/components/schemas/X` → `#/$defs/X`, so each schema stands alone as JSON Schema 2020-12. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === "$ref" && typeof inner === "string" ? inner.replace("#/components/schemas/", "#/$defs/") : rewriteRefs(inner),
    ]),
  );
}

function resolve(document: OpenApiDocument, value: Json): Json {
  const ref = value.$ref;
  if (typeof ref !== "string") return value;
  const [, , section, name] = ref.split("/");
  return (document.components as Record<string, Record<string, Json>>)[section as string]?.[name as string] as Json;
}

/**
 * The JSON Schema the document declares for one response (operation × status), as a validator.
 * Built with zod's own JSON Schema reader: the test checks the document, not the zod schemas the
 * document was generated from.
 */
export function responseValidator(document: OpenApiDocument, path: string, method: string, status: number): z.ZodType {
  const operation = (document.paths?.[path] as Record<string, Json> | undefined)?.[method.toLowerCase()];
  if (!operation) throw new Error(`the document has no ${method} ${path}`);
  const responses = operation.responses as Record<string, Json>;
  const declared = responses[String(status)];
  if (!declared) throw new Error(`the document declares no ${status} for ${method} ${path}`);
  const response = resolve(document, declared);
  const schema = (response.content as Record<string, { schema: Json }>)["application/json"]?.schema;
  if (!schema) throw new Error(`no JSON schema for ${status} of ${method} ${path}`);
  const standalone = { ...(rewriteRefs(schema) as Json), $defs: rewriteRefs(document.components?.schemas ?? {}) };
  return z.fromJSONSchema(standalone as Parameters<typeof z.fromJSONSchema>[0]);
}

/** The document's Error schema (for statuses not declared per operation: 405, 415). */
export function errorValidator(document: OpenApiDocument): z.ZodType {
  const standalone = { $ref: "#/$defs/Error", $defs: rewriteRefs(document.components?.schemas ?? {}) };
  return z.fromJSONSchema(standalone as Parameters<typeof z.fromJSONSchema>[0]);
}
