import "server-only";

import { createCaller, createInnerContext, type RouterOutputs } from "@aihub/api";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { cache } from "react";
import { getDatabase } from "@/server/database";
import { getRequestIdentity } from "@/server/identity";
import { requestIdFrom } from "@/server/request-id";

/**
 * The API for server components: calls procedures in-process (no HTTP), through the same
 * middleware as the route handler, as the signed-in user (if any). Cached per request, so
 * one render shares one context.
 */
export const getServerApi = cache(async () => {
  const [headerList, db, caller] = await Promise.all([headers(), getDatabase(), getRequestIdentity()]);
  return createCaller(createInnerContext({ db, requestId: requestIdFrom(headerList), ...caller }));
});

export type Viewer = RouterOutputs["me"]["get"];

/**
 * The signed-in user and their organizations, once per request; null when signed out (or
 * the session ended between the identity check and this call).
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  if (!(await getRequestIdentity()).identity) return null;
  try {
    return await (await getServerApi()).me.get();
  } catch (error) {
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") return null;
    throw error;
  }
});
