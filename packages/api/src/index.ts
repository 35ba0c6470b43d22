import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.js";

export { appRouter, createCaller, type AppRouter } from "./root.js";
export { createInnerContext, type Context, type Identity, type InnerContextInput } from "./context.js";
export { checkDatabase, type DatabaseHealth } from "./routers/health.js";
export type { ProcedureMeta } from "./trpc.js";
export { DomainError, type PublicErrorShape } from "./errors.js";
export * from "./rbac/index.js";
export { getStore, createMemoryStore, createRedisStore, type Store } from "./store/index.js";
export { resolveSession, verifyCredentials } from "./services/accounts/accounts.js";
export { consoleSender, type EmailSender } from "./services/accounts/email.js";
export { deliverOutbox } from "./services/accounts/outbox.js";
export { authenticateApiKey } from "./services/api-keys/authenticate-api-key.js";
export { issueApiKey } from "./services/api-keys/issue-api-key.js";
export * as schemas from "./schemas.js";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
