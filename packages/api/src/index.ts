import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.js";

export { type Context, createInnerContext } from "./context.js";
export type { PublicErrorShape } from "./errors.js";
export { type AppRouter, appRouter, createCaller } from "./root.js";
export { checkDatabase, type DatabaseHealth } from "./routers/health.js";
export type { ProcedureMeta } from "./trpc.js";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
