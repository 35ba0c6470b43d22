"use server";

import { cookies } from "next/headers";
import { getRequestIdentity } from "@/server/identity";
import { getServerApi } from "@/trpc/server";
import { isLocale, LOCALE_COOKIE } from "./config";

/**
 * Remembers the chosen language. Setting a cookie in a server action makes Next re-render
 * the current page, so no client-side refresh is needed (and the form works without JS).
 * Signed in, the account takes the language too: its mail is written in it.
 */
export async function setLocale(formData: FormData): Promise<void> {
  const locale = formData.get("locale");
  if (!isLocale(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 60 * 60 * 24 * 365, sameSite: "lax" });
  if ((await getRequestIdentity()).identity) {
    // The page's language is already switched; the account's follows when it can (never an error page for it).
    await (await getServerApi()).account.setLocale({ locale }).catch(() => {});
  }
}
