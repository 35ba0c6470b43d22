import { orgProcedure } from "../../procedures.js";
import {
  ZApiKeyIdInput,
  ZApiKeyOutput,
  ZCreateApiKeyInput,
  ZCreateApiKeyOutput,
  ZListApiKeysInput,
  ZListApiKeysOutput,
  ZRotateApiKeyInput,
  ZRotateApiKeyOutput,
  ZUpdateApiKeyInput,
} from "../../schemas/api-key.js";
import * as apiKeys from "../../services/api-keys/api-keys.js";
import { router } from "../../trpc.js";

/**
 * Organization API keys. Reading is `api_key:read` (members and up; keys with the scope).
 * Changing is `api_key:write` (admins and owners). A key never mints, widens or renews a key
 * (`apiKeys: false` on create, update and rotate): a leaked key must not be able to outlive its
 * own revocation. A key with `api_key:write` may revoke keys, so automation can kill a leaked one.
 */
export const apiKeyRouter = router({
  create: orgProcedure
    .meta({
      permission: "api_key:write",
      apiKeys: false,
      openapi: {
        method: "POST",
        path: "/organizations/{orgId}/api-keys",
        tags: ["API keys"],
        summary: "Create an API key (the key is shown once)",
      },
    })
    .input(ZCreateApiKeyInput)
    .output(ZCreateApiKeyOutput)
    .mutation(({ ctx, input: { orgId: _, ...key } }) => apiKeys.createApiKey(ctx.service, key)),
  list: orgProcedure
    .meta({
      permission: "api_key:read",
      openapi: { method: "GET", path: "/organizations/{orgId}/api-keys", tags: ["API keys"], summary: "The organization's API keys" },
    })
    .input(ZListApiKeysInput)
    .output(ZListApiKeysOutput)
    .query(({ ctx, input: { orgId: _, ...filters } }) => apiKeys.listApiKeys(ctx.service, filters)),
  get: orgProcedure
    .meta({
      permission: "api_key:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/api-keys/{apiKeyId}",
        tags: ["API keys"],
        summary: "One API key (never the key itself)",
      },
    })
    .input(ZApiKeyIdInput)
    .output(ZApiKeyOutput)
    .query(({ ctx, input }) => apiKeys.getApiKey(ctx.service, input)),
  update: orgProcedure
    .meta({
      permission: "api_key:write",
      apiKeys: false,
      openapi: {
        method: "PATCH",
        path: "/organizations/{orgId}/api-keys/{apiKeyId}",
        tags: ["API keys"],
        summary: "Change a key's name, scopes or limits",
      },
    })
    .input(ZUpdateApiKeyInput)
    .output(ZApiKeyOutput)
    .mutation(({ ctx, input: { orgId: _, ...changes } }) => apiKeys.updateApiKey(ctx.service, changes)),
  revoke: orgProcedure
    .meta({
      permission: "api_key:write",
      openapi: {
        method: "POST",
        path: "/organizations/{orgId}/api-keys/{apiKeyId}/revoke",
        tags: ["API keys"],
        summary: "Revoke a key at once",
      },
    })
    .input(ZApiKeyIdInput)
    .output(ZApiKeyOutput)
    .mutation(({ ctx, input }) => apiKeys.revokeApiKey(ctx.service, input)),
  rotate: orgProcedure
    .meta({
      permission: "api_key:write",
      apiKeys: false,
      openapi: {
        method: "POST",
        path: "/organizations/{orgId}/api-keys/{apiKeyId}/rotate",
        tags: ["API keys"],
        summary: "Replace a key; the old one works for the grace period",
      },
    })
    .input(ZRotateApiKeyInput)
    .output(ZRotateApiKeyOutput)
    .mutation(({ ctx, input: { orgId: _, ...rotation } }) => apiKeys.rotateApiKey(ctx.service, rotation)),
});
