import type { Purpose } from "@punchcard/sdk";
import { hexToString, isAddressEqual, type Address, type Hex } from "viem";
import type { TestAccount } from "./appConfig.js";

/** Each consent purpose as a member reads it: never its code name ("partnerSharing"). */
export const PURPOSE_TEXT: Record<Purpose, { title: string; description: string }> = {
  rewards: { title: "Rewards", description: "Earn points and stamps for your purchases." },
  analytics: { title: "Analytics", description: "The brand may study how members use the program." },
  marketing: { title: "Marketing", description: "The brand may send you offers." },
  partnerSharing: { title: "Partner sharing", description: "The brand may share your data with its partners." },
};

/** Purposes in words, lower case and joined: "rewards, marketing and partner sharing"; "nothing" for none. */
export function purposesText(purposes: readonly Purpose[]): string {
  const words = purposes.map((p) => PURPOSE_TEXT[p].title.toLowerCase());
  if (words.length === 0) return "nothing";
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]!}`;
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
  return accounts?.find((a) => isAddressEqual(a.address, address))?.name ?? "another member";
}
