import { z } from "zod";
import { orgInput, ZPermission } from "./common.js";

export const ZExplainInput = orgInput({
  subject: z.union([z.strictObject({ userId: z.uuid() }), z.strictObject({ apiKeyId: z.uuid() })]),
  permission: ZPermission,
  teamId: z.uuid().optional(),
});
