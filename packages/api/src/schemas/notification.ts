import { z } from "zod";
import { ZId, ZInstant, ZOutId } from "./common.js";

export const ZListNotificationsInput = z
  .strictObject({ unreadOnly: z.boolean().default(false), limit: z.number().int().min(1).max(100).default(20) })
  .default({ unreadOnly: false, limit: 20 });
export const ZMarkReadInput = z.strictObject({ notificationId: ZId });

export const ZNotificationOutput = z.object({
  id: ZOutId,
  organizationId: ZOutId,
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  readAt: ZInstant.nullable(),
  createdAt: ZInstant,
});
export const ZListNotificationsOutput = z.array(ZNotificationOutput);
export const ZMarkReadOutput = z.object({ updated: z.number().int() });
