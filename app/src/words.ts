import type { Purpose } from "@punchcard/sdk";
import { hexToString, isAddressEqual, type Address, type Hex } from "viem";
import type { TestAccount } from "./appConfig.js";
import { activeLanguage, say } from "./i18n/i18n.js";

/** A consent purpose's title and description in the active language: never its code name ("partnerSharing"). */
export function purposeText(purpose: Purpose): { title: string; description: string } {
  return { title: say(`purposes.${purpose}.title`), description: say(`purposes.${purpose}.description`) };
}

/** Names joined the way the active language lists them (Intl): "a, b, and c"; in Persian "a، b، و c". */
export function listText(names: readonly string[]): string {
  return new Intl.ListFormat(activeLanguage(), { style: "long", type: "conjunction" }).format(names);
}

/** Purposes in words, lower case and joined: "rewards, marketing and partner sharing"; "nothing" for none. */
export function purposesText(purposes: readonly Purpose[]): string {
  if (purposes.length === 0) return say("purposes.nothing");
  return listText(purposes.map((p) => purposeText(p).title.toLocaleLowerCase()));
}

/**
 * A bytes32 code of the contracts (a reward reason, a journey or perk id) in words: "welcome-bonus" reads
 * "Welcome bonus". A code that is not text (a receipt id, a hash) gives "".
 */
export function codeWords(code: Hex | null): string {
  const text = codeText(code);
  const spaced = text
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[-_.]+/g, " ")
    .trim()
    .toLowerCase();
  return spaced ? `${spaced[0]!.toUpperCase()}${spaced.slice(1)}` : "";
}

/** A bytes32 code as the text it holds ("free-refill"), or "" when it holds no plain text. */
export function codeText(code: Hex | null): string {
  if (!code) return "";
  try {
    const text = hexToString(code, { size: 32 }).replace(/\0+$/, "");
    return /^[\w\- .]+$/.test(text) ? text : "";
  } catch {
    return "";
  }
}

/**
 * Another wallet as the page names it: a test account's name ("Ada"), else "another member". The address itself
 * only shows under "details".
 */
export function personName(accounts: TestAccount[] | undefined, address: Address): string {
  return accounts?.find((a) => isAddressEqual(a.address, address))?.name ?? say("story.anotherMember");
}
