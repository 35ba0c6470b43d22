import { getLocale, getTranslations } from "next-intl/server";
import { setLocale } from "@/i18n/actions";
import { locales } from "@/i18n/config";

/**
 * A form of submit buttons posting to a server action: works before hydration and without
 * JavaScript, and the action's cookie write re-renders the page in the new language.
 */
export async function LanguageSwitcher() {
  const [locale, t] = await Promise.all([getLocale(), getTranslations("LanguageSwitcher")]);
  return (
    <form action={setLocale} className="segmented" data-testid="language-switcher">
      <fieldset className="segmented__group">
        <legend className="visually-hidden">{t("label")}</legend>
        {locales.map((option) => (
          <button
            key={option}
            type="submit"
            name="locale"
            value={option}
            lang={option}
            aria-pressed={option === locale}
            className="segmented__item"
          >
            {t(option)}
          </button>
        ))}
      </fieldset>
    </form>
  );
}
