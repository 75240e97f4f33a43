import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import type { Catalog, en } from "./en.js";

/** The wallet's languages, each with its own name (as its speakers write it) and its direction. */
export const LANGUAGES = {
  en: { name: "English", dir: "ltr" },
  tr: { name: "Türkçe", dir: "ltr" },
  fa: { name: "فارسی", dir: "rtl" },
} as const;
export type Language = keyof typeof LANGUAGES;

/** Where the member's choice is remembered, in this browser. */
const STORAGE_KEY = "punchcard.language";

const isLanguage = (value: unknown): value is Language => typeof value === "string" && value in LANGUAGES;

/** The member's choice if they made one, else the browser's first language the wallet speaks, else English. */
export function detectLanguage(): Language {
  try {
    const chosen = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(chosen)) return chosen;
  } catch {
    // Storage may be off (a private window): the browser's languages still decide.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

/** Sets the page's language and direction (`lang`, `dir` on <html>), so screen readers and layout follow. */
function applyToDocument(language: Language): void {
  document.documentElement.lang = language;
  document.documentElement.dir = LANGUAGES[language].dir;
}

/**
 * Each catalog is a chunk of its own, fetched when its language is first used: a member downloads the words of the
 * language they read, not all three. Every catalog has every key (`Catalog`), so none needs another as a fallback.
 */
const CATALOGS: Record<Language, () => Promise<Catalog>> = {
  en: () => import("./en.js").then((m) => m.en),
  tr: () => import("./tr.js").then((m) => m.tr),
  fa: () => import("./fa.js").then((m) => m.fa),
};

/** Adds the language's catalog to i18next unless it is there already. */
async function loadCatalog(language: Language): Promise<void> {
  if (i18next.hasResourceBundle(language, "translation")) return;
  i18next.addResourceBundle(language, "translation", await CATALOGS[language]());
}

/** Starts i18next in the detected language, with that language's catalog only. */
export async function startI18n(): Promise<void> {
  const language = detectLanguage();
  const catalog = await CATALOGS[language]();
  await i18next.use(initReactI18next).init({
    resources: { [language]: { translation: catalog } },
    lng: language,
    fallbackLng: false,
    // React escapes what it renders; the catalogs' values are text, never markup.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyToDocument(language);
}

/** Switches the language now and remembers it in this browser. */
export async function chooseLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but switched.
  }
  await loadCatalog(language);
  await i18next.changeLanguage(language);
  applyToDocument(language);
}

/** The active language (for Intl's number and date formats). */
export function activeLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : "en";
}

/** A key of a catalog's section, as "section.key". */
type Keys<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Keys<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
/** A plural key by its base: "history.count_one" and "history.count_other" are both "history.count". */
type PluralBase<K extends string> = K extends `${infer Base}_${"one" | "other"}` ? Base : K;
/** Every key of the catalogs ("story.paid"); plural keys by their base ("history.count"), to be given a `count`. */
export type MessageKey = PluralBase<Keys<typeof en>>;

/** A message in the active language, its {{placeholders}} filled (outside React, or where no hook is at hand). */
export function say(key: MessageKey, values?: Record<string, string | number>): string {
  return i18next.t(key, values ?? {});
}
