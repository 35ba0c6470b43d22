import { render } from "@testing-library/react";
import { NextIntlClientProvider } from "next-intl";
import type { ReactElement } from "react";
import en from "../../messages/en.json";
import zhCN from "../../messages/zh-CN.json";

/** Renders a console component with the real message catalogue, as the app's layout would. */
export function renderWithIntl(ui: ReactElement, locale: "en" | "zh-CN" = "en") {
  return render(
    <NextIntlClientProvider locale={locale} messages={locale === "en" ? en : zhCN} timeZone="UTC">
      {ui}
    </NextIntlClientProvider>,
  );
}
