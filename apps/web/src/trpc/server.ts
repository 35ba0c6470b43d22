import "server-only";

import { createCaller, createInnerContext } from "@aihub/api";
import { headers } from "next/headers";
import { cache } from "react";
import { getDatabase } from "@/server/database";
import { requestIdFrom } from "@/server/request-id";

/**
 * The API for server components: calls procedures in-process (no HTTP), through the same
 * middleware as the route handler. Cached per request, so one render shares one context.
 */
export const getServerApi = cache(async () => {
  const [headerList, db] = await Promise.all([headers(), getDatabase()]);
  return createCaller(createInnerContext({ db, requestId: requestIdFrom(headerList) }));
});
