import { accountRouter } from "./routers/account/router.js";
import { healthProcedure } from "./routers/health.js";
import { meRouter } from "./routers/me/router.js";
import { memberRouter } from "./routers/member/router.js";
import { permissionRouter } from "./routers/permission/router.js";
import { createCallerFactory, router } from "./trpc.js";

export const appRouter = router({
  health: healthProcedure,
  account: accountRouter,
  me: meRouter,
  member: memberRouter,
  permission: permissionRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
