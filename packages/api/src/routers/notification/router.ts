import { authedProcedure } from "../../procedures.js";
import { ZListNotificationsInput, ZListNotificationsOutput, ZMarkReadInput, ZMarkReadOutput } from "../../schemas/notification.js";
import { listNotifications, markNotificationRead } from "../../services/notifications/notifications.js";
import { router } from "../../trpc.js";

/** The signed-in user's in-app notifications. */
export const notificationRouter = router({
  list: authedProcedure
    .input(ZListNotificationsInput)
    .output(ZListNotificationsOutput)
    .query(({ ctx, input }) => listNotifications(ctx.service, input)),
  markRead: authedProcedure
    .input(ZMarkReadInput)
    .output(ZMarkReadOutput)
    .mutation(({ ctx, input }) => markNotificationRead(ctx.service, input)),
});
