"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { CURRENT_ORG_COOKIE } from "./current-org-cookie";

/**
 * Remembers the organization chosen in the switcher. Only a preference: whoever reads it
 * checks it against the user's own organizations, and every org-scoped call is authorized
 * by the API on its own. The cookie write makes Next re-render the page.
 */
export async function setCurrentOrg(orgId: string): Promise<void> {
  const parsed = z.uuid().safeParse(orgId);
  if (!parsed.success) return;
  (await cookies()).set(CURRENT_ORG_COOKIE, parsed.data, { path: "/", maxAge: 60 * 60 * 24 * 365, sameSite: "lax", httpOnly: true });
}
