import { decodeStampId, type Offer, type SeriesInfo } from "@punchcard/sdk";
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

/**
 * The largest price the wallet signs, in whole points: far above any real price, far below what a slip of the finger
 * (a 29-digit paste) would ask for; an order at such a price can only be a mistake.
 */
export const MAX_PRICE = 1_000_000_000n;

/**
 * A price typed by the member, in the points' smallest unit; or the sentence saying what is wrong with it. Nothing is
 * rounded: an amount finer than the points' decimals is refused, as is one above {@link MAX_PRICE}.
 */
export function parsePrice(text: string, decimals: number, symbol: string): bigint | string {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return `"${text}" is not an amount: write a number such as 100.`;
  const [whole = "", rawFraction = ""] = trimmed.split(".");
  const fraction = rawFraction.replace(/0+$/, "");
  if (fraction.length > decimals)
    return decimals === 0
      ? `${symbol} are counted in whole numbers: "${trimmed}" has a fraction. Write a whole number such as 100.`
      : `${symbol} are counted to ${decimals} decimal places: "${trimmed}" has more. Nothing was rounded.`;
  const value = parseUnits(fraction ? `${whole}.${fraction}` : whole, decimals);
  if (value === 0n) return "The price must be more than 0.";
  if (value > MAX_PRICE * 10n ** BigInt(decimals))
    return `A price can be at most ${MAX_PRICE.toLocaleString("en-US")} ${symbol}: "${trimmed}" is more.`;
  return value;
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

/** An offer by what it is for: "offer of 30 BEANS on Autumn Cup #6 of 100", or "… on any Autumn Cup". */
export function offerText(offer: Offer, seriesOf: Map<bigint, SeriesInfo>, format: (n: bigint) => string): string {
  const target =
    offer.tokenId === 0n
      ? `any ${seriesOf.get(offer.seriesId)?.name ?? "stamp of the series"}`
      : stampText(offer.tokenId, seriesOf);
  return `offer of ${format(offer.price)} on ${target}`;
}
