import type { UserServiceContext } from "../service-context.js";

/** The user's in-app notifications, newest first (row-level security shows only their own). */
export async function listNotifications(ctx: UserServiceContext, input: { unreadOnly: boolean; limit: number }) {
  return await ctx.db.forTenant({ orgId: null, userId: ctx.userId }).notification.findMany({
    where: { userId: ctx.userId, ...(input.unreadOnly ? { readAt: null } : {}) },
    select: { id: true, organizationId: true, kind: true, title: true, body: true, link: true, readAt: true, createdAt: true },
    orderBy: { createdAt: "desc" },
    take: input.limit,
  });
}

export async function markNotificationRead(ctx: UserServiceContext, input: { notificationId: string }) {
  const { count } = await ctx.db.forTenant({ orgId: null, userId: ctx.userId }).notification.updateMany({
    where: { id: input.notificationId, userId: ctx.userId, readAt: null },
    data: { readAt: new Date() },
  });
  return { updated: count };
}
