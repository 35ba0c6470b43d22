import { z } from "zod";
import { orgInput, ZId, ZPermission } from "./common.js";

export const ZExplainInput = orgInput({
  subject: z.union([z.strictObject({ userId: ZId }), z.strictObject({ apiKeyId: ZId })]),
  permission: ZPermission,
  teamId: ZId.optional(),
});
