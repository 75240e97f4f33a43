import { InvalidArgumentError } from "../errors.js";
import { decodeStampId } from "../utils/stampId.js";
import { signOfferOrder } from "../internal/signOffer.js";
import type { Program, WriteClient } from "../program.js";
import type { Listing, Offer, Signed } from "../types/orders.js";

export interface SignPurchaseParameters {
  program: Program;
  /** The signed listing to buy (from the order book, or {@link listStamp}). */
  listing: Signed<Listing>;
  /** Unix seconds after which the purchase cannot be filled (default: 7 days from now, never past the listing's). */
  expiry?: bigint;
}

export type SignPurchaseReturnType = Signed<Offer>;

/**
 * Signs the buyer's half of a gasless purchase: an offer for exactly the listed stamp, at the listing's price and
 * currency, with the fees the Market's rules take now as its cap. The relayer settles both with
 * {@link relayMatch}; nothing is sent and no allowance is raised here (the buyer signs a permit with
 * {@link signPointsPermit} instead). The native coin cannot be pulled from a buyer, so a listing in it is refused.
 *
 * @example
 * const purchase = await signPurchase(ben, { program, listing });
 * const permit = await signPointsPermit(ben, { program, value: listing.order.price });
 * await relayMatch(relayer, { program, listing, offer: purchase, permit });
 */
export async function signPurchase(
  client: WriteClient,
  { program, listing, expiry }: SignPurchaseParameters,
): Promise<SignPurchaseReturnType> {
  const { tokenId, price, currency } = listing.order;
  if (BigInt(currency) === 0n) {
    throw new InvalidArgumentError(
      "listing",
      "is priced in the native coin, which a relayer cannot take from the buyer.",
      "Ask the seller for a listing in Points or an allowed ERC-20, or buy it yourself with buyStamp.",
    );
  }
  if (expiry === undefined || expiry > listing.order.expiry) expiry = listing.order.expiry;
  return signOfferOrder(client, { program, tokenId, seriesId: decodeStampId(tokenId).seriesId, price, currency, expiry });
}
