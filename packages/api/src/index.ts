import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.js";

export { type Context, createInnerContext, type Identity, type InnerContextInput } from "./context.js";
export { DomainError, type PublicErrorShape } from "./errors.js";
export { getOpenApiDocument, REST_PREFIX } from "./openapi/document.js";
export type { RestError } from "./openapi/error.js";
export { createRestHandler, type RestHandlerOptions } from "./openapi/rest-handler.js";
export * from "./rbac/index.js";
export { type AppRouter, appRouter, createCaller } from "./root.js";
export { checkDatabase, type DatabaseHealth } from "./routers/health.js";
export * as schemas from "./schemas/index.js";
export { resolveSession, verifyCredentials } from "./services/accounts/accounts.js";
export { createConsoleSender, createSmtpSender, type EmailSender, mayPrintLinks, senderFromEnv } from "./services/accounts/email.js";
export { deliverOutbox, purgeOutbox, startOutboxDelivery } from "./services/accounts/outbox.js";
export { authenticateApiKey } from "./services/api-keys/authenticate-api-key.js";
export { issueApiKey } from "./services/api-keys/issue-api-key.js";
export { generateApiKey, hashApiKey } from "./services/api-keys/key-format.js";
export { flushLastUsed } from "./services/api-keys/last-used.js";
export {
  type ApiKeyStatus,
  forgetApiKey,
  invalidateApiKeyCache,
  LocalKeyCache,
  lookupApiKeyRow,
  type VerifyDeps,
  type VerifyObserver,
  type VerifyResult,
  verifyApiKey,
} from "./services/api-keys/verify-api-key.js";
export { type PurgeResult, purgeAuditEvents } from "./services/audit/audit-log.js";
export {
  AuditExportError,
  type AuditExportResponse,
  auditExportHeaders,
  exportAuditEvents,
  openAuditExport,
} from "./services/audit/export.js";
export * as spend from "./services/budgets/index.js";
export { authenticateBearerToken, verifyBearerToken } from "./services/personal-tokens/verify-bearer-token.js";
export {
  authenticatePersonalToken,
  forgetPersonalToken,
  invalidatePersonalTokenCache,
  type PersonalTokenStatus,
  verifyPersonalToken,
} from "./services/personal-tokens/verify-personal-token.js";
export {
  type GatewayRouting,
  keyAllows,
  type ProviderRoute,
  providerRoutes,
  routeFor,
} from "./services/providers/providers.js";
export { openUsageExport } from "./services/usage/export.js";
export { ensureUsagePartitions, type RecordInput, type RecordResult, recordUsage } from "./services/usage/record.js";
export { closeUsageDays, rollupUsageDay } from "./services/usage/rollup.js";
export { createMemoryStore, createRedisStore, getStore, type Store } from "./store/index.js";
export type { ProcedureMeta } from "./trpc.js";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { createJobRunner, type Job, type JobLog, type JobOutcome, type JobRunner, productJobs, startJobs } from "./jobs/index.js";
