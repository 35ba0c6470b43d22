import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE, type Locale, resolveLocale } from "./config";

// Static imports (not a template path) so the bundler includes exactly these two files.
const catalogues = {
  en: () => import("../../messages/en.json"),
  "zh-CN": () => import("../../messages/zh-CN.json"),
} satisfies Record<Locale, () => Promise<{ default: unknown }>>;

export default getRequestConfig(async () => {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  const locale = resolveLocale(cookieStore.get(LOCALE_COOKIE)?.value, headerList.get("accept-language"));
  return {
    locale,
    messages: (await catalogues[locale]()).default,
    // Org time zones come with organizations; until then one explicit zone keeps server and
    // client rendering identical (no hydration mismatch).
    timeZone: "UTC",
  };
});
