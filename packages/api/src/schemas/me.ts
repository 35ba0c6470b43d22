import { z } from "zod";

export const ZMyPermissionsInput = z.strictObject({ orgId: z.uuid() });
