import type { Language } from "../i18n/i18n.js";
import type { FailureWords, MemberRefusalCode, MemberRevertName } from "./failureNames.js";

/**
 * The failures' words of each language, each a chunk of its own fetched when first needed (as the catalogs are):
 * a member downloads the sentences of the language they read, and only once a page that can fail is open.
 */
const WORDS: Record<Language, () => Promise<FailureWords>> = {
  en: () => import("./failuresEn.js").then((m) => m.failuresEn),
  tr: () => import("./failuresTr.js").then((m) => m.failuresTr),
  fa: () => import("./failuresFa.js").then((m) => m.failuresFa),
};

const loaded: Partial<Record<Language, FailureWords>> = {};

/**
 * Fetches the failures' words of `language` unless they are here already.
 *
 * @example
 * await loadFailureWords("fa");
 * revertWords("fa", "MarketOrderExpired"); // "این سفارش منقضی شده است: انجام‌شدنی نیست."
 */
export async function loadFailureWords(language: Language): Promise<void> {
  loaded[language] ??= await WORDS[language]();
}

/** A contract error's sentence in `language`, if its words are loaded and the error is one a member meets. */
export function revertWords(language: Language, errorName: string): string | undefined {
  const reverts = loaded[language]?.reverts;
  return reverts && Object.hasOwn(reverts, errorName) ? reverts[errorName as MemberRevertName] : undefined;
}

/** A program server refusal's sentence in `language`, by its code, if its words are loaded and the code is known. */
export function refusalWords(language: Language, code: string): string | undefined {
  const refusals = loaded[language]?.refusals;
  return refusals && Object.hasOwn(refusals, code) ? refusals[code as MemberRefusalCode] : undefined;
}
