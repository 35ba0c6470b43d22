import { healthProcedure } from "./routers/health.js";
import { createCallerFactory, router } from "./trpc.js";

export const appRouter = router({
  health: healthProcedure,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
