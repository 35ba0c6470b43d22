import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.js";

export { appRouter, createCaller, type AppRouter } from "./root.js";
export { createInnerContext, type Context } from "./context.js";
export { checkDatabase, type DatabaseHealth } from "./routers/health.js";
export type { ProcedureMeta } from "./trpc.js";
export type { PublicErrorShape } from "./errors.js";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
