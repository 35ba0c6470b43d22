import type en from "../messages/en.json";
import type { Locale } from "./i18n/config";

// Typed message keys and locales for useTranslations/getTranslations: a missing key is a
// type error. English is the reference catalogue; messages.test.ts keeps zh-CN in step.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof en;
  }
}
