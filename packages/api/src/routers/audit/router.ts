import { orgProcedure } from "../../procedures.js";
import {
  ZGetAuditEventInput,
  ZGetAuditEventOutput,
  ZListAuditEventsInput,
  ZListAuditEventsOutput,
  ZSetAuditRetentionInput,
  ZSetAuditRetentionOutput,
  ZVerifyAuditChainInput,
  ZVerifyAuditChainOutput,
} from "../../schemas/audit.js";
import * as auditLog from "../../services/audit/audit-log.js";
import { router } from "../../trpc.js";

/**
 * The audit log: reading it is `audit:read` (owners and admins; API keys with that scope).
 * Setting the retention decides when events are deleted, so it is the owner's (`org:delete`,
 * the owner-only permission) and never an API key's. The export (CSV, JSON lines) is a route
 * handler, not a procedure: it streams (see services/audit/export.ts).
 */
export const auditRouter = router({
  list: orgProcedure
    .meta({
      permission: "audit:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/audit-events",
        tags: ["Audit log"],
        summary: "Audit events, newest first, filtered",
      },
    })
    .input(ZListAuditEventsInput)
    .output(ZListAuditEventsOutput)
    .query(({ ctx, input: { orgId: _, ...filters } }) => auditLog.listAuditEvents(ctx.service, filters)),
  get: orgProcedure
    .meta({
      permission: "audit:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/audit-events/{eventId}",
        tags: ["Audit log"],
        summary: "One audit event with its before/after changes",
      },
    })
    .input(ZGetAuditEventInput)
    .output(ZGetAuditEventOutput)
    .query(({ ctx, input }) => auditLog.getAuditEvent(ctx.service, input)),
  verify: orgProcedure
    .meta({
      permission: "audit:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/audit-log/verify",
        tags: ["Audit log"],
        summary: "Check the audit log's hash chain",
      },
    })
    .input(ZVerifyAuditChainInput)
    .output(ZVerifyAuditChainOutput)
    .query(({ ctx }) => auditLog.verifyAuditLog(ctx.service)),
  setRetention: orgProcedure
    .meta({ permission: "org:delete", apiKeys: false })
    .input(ZSetAuditRetentionInput)
    .output(ZSetAuditRetentionOutput)
    .mutation(({ ctx, input }) => auditLog.setAuditRetention(ctx.service, input)),
});
