import { z } from "zod";
import { ZId } from "./common.js";

export const ZListNotificationsInput = z
  .strictObject({ unreadOnly: z.boolean().default(false), limit: z.number().int().min(1).max(100).default(20) })
  .default({ unreadOnly: false, limit: 20 });
export const ZMarkReadInput = z.strictObject({ notificationId: ZId });
