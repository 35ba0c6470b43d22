import { authedProcedure } from "../../procedures.js";
import { ZListNotificationsInput, ZMarkReadInput } from "../../schemas/notification.js";
import { router } from "../../trpc.js";

/** The signed-in user's in-app notifications (row-level security shows only their own). */
export const notificationRouter = router({
  list: authedProcedure.input(ZListNotificationsInput).query(({ ctx, input }) =>
    ctx.db.forTenant({ orgId: null, userId: ctx.user.userId }).notification.findMany({
      where: { userId: ctx.user.userId, ...(input.unreadOnly ? { readAt: null } : {}) },
      orderBy: { createdAt: "desc" },
      take: input.limit,
    }),
  ),
  markRead: authedProcedure.input(ZMarkReadInput).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.forTenant({ orgId: null, userId: ctx.user.userId }).notification.updateMany({
      where: { id: input.notificationId, userId: ctx.user.userId, readAt: null },
      data: { readAt: new Date() },
    });
    return { updated: count };
  }),
});
