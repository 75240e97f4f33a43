import { useId } from "react";
import { useTranslation } from "react-i18next";
import { activeLanguage, chooseLanguage, LANGUAGES, type Language } from "../i18n/i18n.js";

/** The language switch: each language named in itself; the choice is remembered in this browser. */
export function LanguagePicker() {
  const { t } = useTranslation();
  const id = useId();
  return (
    <p className="language">
      <label htmlFor={id}>{t("app.language")}</label>{" "}
      <select id={id} value={activeLanguage()} onChange={(e) => void chooseLanguage(e.target.value as Language)}>
        {(Object.keys(LANGUAGES) as Language[]).map((language) => (
          <option key={language} value={language} lang={language}>
            {LANGUAGES[language].name}
          </option>
        ))}
      </select>
    </p>
  );
}
