import { accountRouter } from "./routers/account/router.js";
import { alertRouter } from "./routers/alert/router.js";
import { apiKeyRouter } from "./routers/api-key/router.js";
import { auditRouter } from "./routers/audit/router.js";
import { budgetRouter } from "./routers/budget/router.js";
import { healthProcedure } from "./routers/health.js";
import { invitationRouter } from "./routers/invitation/router.js";
import { meRouter } from "./routers/me/router.js";
import { memberRouter } from "./routers/member/router.js";
import { notificationRouter } from "./routers/notification/router.js";
import { organizationRouter } from "./routers/organization/router.js";
import { permissionRouter } from "./routers/permission/router.js";
import { personalTokenRouter } from "./routers/personal-token/router.js";
import { priceRouter } from "./routers/price/router.js";
import { providerRouter } from "./routers/provider/router.js";
import { teamRouter } from "./routers/team/router.js";
import { usageRouter } from "./routers/usage/router.js";
import { createCallerFactory, router } from "./trpc.js";

export const appRouter = router({
  health: healthProcedure,
  account: accountRouter,
  me: meRouter,
  member: memberRouter,
  permission: permissionRouter,
  organization: organizationRouter,
  invitation: invitationRouter,
  notification: notificationRouter,
  team: teamRouter,
  audit: auditRouter,
  apiKey: apiKeyRouter,
  personalToken: personalTokenRouter,
  budget: budgetRouter,
  usage: usageRouter,
  price: priceRouter,
  provider: providerRouter,
  alert: alertRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
