import type { Program } from "@punchcard/sdk";
import type { Address, Hex } from "viem";

/**
 * The offers this browser posted for a member, by order hash, so the Market page can tell the member about an offer
 * that left the book without their doing (another offer's acceptance used the permit it relied on). The book lists
 * only open orders; this is what says which ones were the member's.
 */
const keyOf = (program: Program, member: Address) => `punchcard.offers.${program.market}.${member}`.toLowerCase();

export function postedOffers(program: Program, member: Address): Hex[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(keyOf(program, member)) ?? "[]");
    return Array.isArray(value) ? value.filter((h): h is Hex => typeof h === "string" && /^0x[0-9a-f]{64}$/i.test(h)) : [];
  } catch {
    return [];
  }
}

export function rememberOffers(program: Program, member: Address, hashes: readonly Hex[]): void {
  const all = [...new Set([...postedOffers(program, member), ...hashes])];
  localStorage.setItem(keyOf(program, member), JSON.stringify(all));
}

export function forgetOffers(program: Program, member: Address, hashes: readonly Hex[]): void {
  const gone = new Set(hashes.map((h) => h.toLowerCase()));
  localStorage.setItem(
    keyOf(program, member),
    JSON.stringify(postedOffers(program, member).filter((h) => !gone.has(h.toLowerCase()))),
  );
}
