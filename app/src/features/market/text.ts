import { decodeStampId, type Offer, type SeriesInfo } from "@punchcard/sdk";
import { parseUnits } from "viem";
import { formatAmountIn, formatCount } from "../../i18n/format.js";
import { say } from "../../i18n/i18n.js";

/** A stamp's edition out of its series' supply, in the active language's digits: "#3 of 100". */
export const editionText = (edition: bigint, series: SeriesInfo | undefined) =>
  say("stamp.edition", {
    edition: formatCount(edition),
    supply: series ? formatCount(series.maxSupply) : say("stamp.unknownSupply"),
  });

/** A series by its name, else by words ("Series 3"), never by a bare id. */
export const seriesName = (seriesId: bigint, series: SeriesInfo | undefined) =>
  series?.name ?? say("stamp.series", { id: formatCount(seriesId) });

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
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return say("market.notAmount", { text });
  const [whole = "", rawFraction = ""] = trimmed.split(".");
  const fraction = rawFraction.replace(/0+$/, "");
  if (fraction.length > decimals)
    return decimals === 0
      ? say("market.wholeOnly", { unit: symbol, text: trimmed })
      : say("market.tooFine", { unit: symbol, decimals: formatCount(decimals), text: trimmed });
  const value = parseUnits(fraction ? `${whole}.${fraction}` : whole, decimals);
  if (value === 0n) return say("market.zero");
  if (value > MAX_PRICE * 10n ** BigInt(decimals))
    return say("market.tooHigh", { max: formatAmountIn(MAX_PRICE, 0, symbol), text: trimmed });
  return value;
}

/** An edition typed by the member: empty (any), or a whole number from 1. */
export function editionProblem(text: string): string | undefined {
  return text !== "" && !/^[1-9]\d*$/.test(text) ? say("market.notEdition", { text }) : undefined;
}

/** A stamp by its series' name and edition: "Autumn Cup #3 of 100". */
export function stampText(tokenId: bigint, seriesOf: Map<bigint, SeriesInfo>): string {
  const { seriesId, edition } = decodeStampId(tokenId);
  const series = seriesOf.get(seriesId);
  return say("stamp.named", { name: seriesName(seriesId, series), edition: editionText(edition, series) });
}

/** What an offer is for: "Autumn Cup #6 of 100", or "any Autumn Cup". */
export function offerTarget(offer: Pick<Offer, "seriesId" | "tokenId">, seriesOf: Map<bigint, SeriesInfo>): string {
  return offer.tokenId === 0n
    ? say("stamp.any", { series: seriesOf.get(offer.seriesId)?.name ?? say("stamp.anyOfSeries") })
    : stampText(offer.tokenId, seriesOf);
}

/** An offer by what it is for: "offer of 30 BEANS on Autumn Cup #6 of 100", or "… on any Autumn Cup". */
export function offerText(offer: Offer, seriesOf: Map<bigint, SeriesInfo>, format: (n: bigint) => string): string {
  return say("market.offerOn", { price: format(offer.price), target: offerTarget(offer, seriesOf) });
}
