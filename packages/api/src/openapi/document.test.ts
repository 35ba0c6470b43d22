import type { AnyProcedure } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { appRouter } from "../root.js";
import type { RouterMeta } from "../trpc.js";
import { getOpenApiDocument } from "./document.js";
import { restRoutes } from "./routes.js";

const openApiDocument = getOpenApiDocument();

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>).map(([path, procedure]) => ({
  path,
  meta: procedure._def.meta as RouterMeta | undefined,
}));
const mirrored = procedures.filter((p) => p.meta?.openapi);
const operations = Object.entries(openApiDocument.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(
    item as Record<
      string,
      { operationId: string; description?: string; tags?: string[]; security?: unknown[]; responses: Record<string, unknown> }
    >,
  ).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
);

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with a title, a version and the bearer scheme (API key or personal access token)", () => {
    expect(openApiDocument.openapi).toBe("3.1.0");
    expect(openApiDocument.info.title).toBeTruthy();
    expect(openApiDocument.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(openApiDocument.servers).toEqual([{ url: "/v1" }]);
    const scheme = openApiDocument.components?.securitySchemes?.bearerAuth as { type: string; scheme: string; description: string };
    expect([scheme.type, scheme.scheme]).toEqual(["http", "bearer"]);
    expect(scheme.description).toMatch(/aih_/);
    expect(scheme.description).toMatch(/personal access token/);
  });

  it("has one operation per procedure with openapi meta, and a route for each operation", () => {
    expect(mirrored.length).toBe(operations.length);
    const routes = restRoutes();
    for (const { path, meta } of mirrored) {
      const openapi = meta?.openapi as NonNullable<RouterMeta["openapi"]>;
      const operation = operations.find((o) => o.path === openapi.path && o.method === openapi.method);
      expect(operation?.operation.operationId, path).toBe(path.replace(/\./g, "-"));
      expect(routes.filter((r) => r.path === openapi.path && r.method === openapi.method).map((r) => r.procedure)).toEqual([path]);
    }
  });

  it("mirrors the domains asked for, with the org in the path", () => {
    const expected = [
      "organization.create",
      "organization.listMine",
      "organization.get",
      "organization.update",
      "member.list",
      "member.updateRole",
      "member.remove",
      "team.list",
      "team.create",
      "team.get",
      "team.update",
      "team.move",
      "team.delete",
      "team.addMember",
      "team.removeMember",
      "invitation.create",
      "invitation.list",
      "invitation.revoke",
      "invitation.resend",
      "apiKey.list",
      "apiKey.get",
      "apiKey.create",
      "apiKey.update",
      "apiKey.revoke",
      "apiKey.rotate",
      "audit.list",
      "audit.get",
      "audit.verify",
      "permission.explain",
      "me.get",
    ];
    expect(mirrored.map((p) => p.path)).toEqual(expect.arrayContaining(expected));
    for (const { path, meta } of mirrored) {
      if (meta?.permission || meta?.access === "member") expect(meta.openapi?.path, path).toMatch(/^\/organizations\/\{orgId\}(\/|$)/);
    }
  });

  it("never mirrors deleting, restoring or transferring an organization", () => {
    for (const path of ["organization.delete", "organization.restore", "organization.transferOwnership"]) {
      expect(procedures.find((p) => p.path === path)?.meta?.openapi, path).toBeUndefined();
      expect(operations.map((o) => o.operation.operationId)).not.toContain(path.replace(/\./g, "-"));
    }
    expect(Object.keys(openApiDocument.paths?.["/organizations/{orgId}"] ?? {}).sort()).toEqual(["get", "patch"]);
  });

  it("queries are GET, creations POST, changes PATCH or PUT, deletions DELETE; each operation is tagged and protected", () => {
    const tags = new Set((openApiDocument.tags ?? []).map((t) => t.name));
    for (const { path, method, operation } of operations) {
      const id = operation.operationId;
      if (/-(get|list|listMine|verify|permissions)$/.test(id)) expect(method, id).toBe("GET");
      if (/-(create|addMember)$/.test(id)) expect(method, id).toBe("POST");
      if (/-(update|updateRole|updateMemberRole)$/.test(id)) expect(method, id).toBe("PATCH");
      if (/-(delete|remove|removeMember|removePermissionOverride)$/.test(id)) expect(method, id).toBe("DELETE");
      expect(operation.tags?.length, `${method} ${path}`).toBe(1);
      expect(tags.has(operation.tags?.[0] as string)).toBe(true);
      expect(operation.security).toEqual([{ bearerAuth: [] }]);
    }
  });

  it("describes every error with our Error schema ({ error: { code, message, requestId, fieldErrors, details } })", () => {
    const envelope = openApiDocument.components?.schemas?.Error as { properties: { error: { properties: object; required: string[] } } };
    const error = envelope.properties.error;
    expect(Object.keys(error.properties).sort()).toEqual(["code", "details", "fieldErrors", "message", "requestId"]);
    expect(error.required.sort()).toEqual(["code", "message", "requestId"]);
    for (const { path, method, operation } of operations) {
      const statuses = Object.keys(operation.responses);
      expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(["200", "400", "401", "403", "404", "500"]));
      for (const status of statuses.filter((s) => s !== "200")) {
        expect(operation.responses[status]).toEqual({ $ref: `#/components/responses/Error${status}` });
      }
    }
    // trpc-to-openapi's own error schemas ({ message, code, issues }) are not left behind.
    expect(Object.keys(openApiDocument.components?.schemas ?? {}).filter((name) => name.startsWith("error."))).toEqual([]);
  });

  it("offers Idempotency-Key on every write, and only there", () => {
    const writes = new Set(
      restRoutes()
        .filter((r) => r.type === "mutation")
        .map((r) => `${r.method} ${r.path}`),
    );
    expect(writes.size).toBeGreaterThan(15);
    for (const { path, method, operation } of operations) {
      const headers = ((operation as { parameters?: { in: string; name: string }[] }).parameters ?? []).filter((p) => p.in === "header");
      expect(
        headers.map((h) => h.name),
        `${method} ${path}`,
      ).toEqual(writes.has(`${method} ${path}`) ? ["Idempotency-Key"] : []);
    }
  });

  it("says who may call each operation, from the procedure's declaration", () => {
    for (const { path, meta } of mirrored) {
      const openapi = meta?.openapi as NonNullable<RouterMeta["openapi"]>;
      const description = operations.find((o) => o.path === openapi.path && o.method === openapi.method)?.operation.description as string;
      if (meta?.permission) expect(description, path).toContain(`\`${meta.permission}\``);
      expect(description.includes("Kept for signed-in people"), path).toBe(meta?.apiKeys === false);
    }
  });

  it("describes instants as date-time strings", () => {
    const json = JSON.stringify(openApiDocument.paths?.["/organizations/{orgId}"]?.get);
    expect(json).toContain('"createdAt":{"format":"date-time","type":"string"}');
  });
});
