import { decodeStampId, type SeriesInfo } from "@punchcard/sdk";
import { isAddressEqual, parseUnits, type Address } from "viem";
import type { TestAccount } from "../../appConfig.js";

/** A stamp's edition out of its series' supply: "#3 of 100". */
export const editionText = (edition: bigint, series: SeriesInfo | undefined) =>
  `#${edition.toLocaleString("en-US")} of ${series?.maxSupply.toLocaleString("en-US") ?? "?"}`;

/** An address as the page names it: the test account's name when it is one, and the address shortened. */
export function nameOf(accounts: TestAccount[] | undefined, address: Address): string {
  const named = accounts?.find((a) => isAddressEqual(a.address, address));
  const short = `${address.slice(0, 6)}…${address.slice(-4)}`;
  return named ? `${named.name} (${short})` : short;
}

/** A price typed by the member, in the points' smallest unit; or the sentence saying what is wrong with it. */
export function parsePrice(text: string, decimals: number): bigint | string {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return `"${text}" is not an amount: write a number such as 100.`;
  const value = parseUnits(trimmed, decimals);
  return value > 0n ? value : "The price must be more than 0.";
}

/** An edition typed by the member: empty (any), or a whole number from 1. */
export function editionProblem(text: string): string | undefined {
  return text !== "" && !/^[1-9]\d*$/.test(text) ? `"${text}" is not an edition number.` : undefined;
}

/** A stamp by its series' name and edition: "Coffee #3 of 100". */
export function stampText(tokenId: bigint, seriesOf: Map<bigint, SeriesInfo>): string {
  const { seriesId, edition } = decodeStampId(tokenId);
  return `${seriesOf.get(seriesId)?.name ?? "stamp"} ${editionText(edition, seriesOf.get(seriesId))}`;
}
