import { z } from "zod";
import { ZId } from "./common.js";

export const ZMyPermissionsInput = z.strictObject({ orgId: ZId });
