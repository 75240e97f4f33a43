import { marketErrorCatalog } from "../errors/market.js";
import { marketAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { permitIfShort } from "../internal/relayPermit.js";
import { saleOf, type Sale } from "../member/buyStamp.js";
import type { Program, WriteClient } from "../program.js";
import type { PointsPermit, SignedIntent } from "../types/intents.js";
import type { Listing, Offer, Signed } from "../types/orders.js";

export interface RelayMatchParameters {
  program: Program;
  /** The seller's signed listing ({@link listStamp}). */
  listing: Signed<Listing>;
  /** The buyer's signed offer at the listing's price and currency ({@link signPurchase} or {@link makeOffer}). */
  offer: Signed<Offer>;
  /** The buyer's permit for the price ({@link signPointsPermit}); submitted only when their allowance is short. */
  permit?: SignedIntent<PointsPermit>;
}

export interface RelayMatchReturnType extends ExecuteResult {
  sale: Sale;
  /** The permit transaction, when the buyer's allowance was short and the permit was submitted first. */
  permit?: ExecuteResult;
}

/**
 * Settles a listing against an offer for the same stamp and price from the brand's relayer account: a gasless
 * purchase (the buyer signed {@link signPurchase}) or a gasless acceptance (the seller signed a listing at an
 * offer's price). The stamp goes to the buyer; the royalty, fee and seller's share come from the buyer's balance.
 * The buyer's permit is sent first only if their allowance is short of the price. Each transaction is simulated
 * first: an order that would revert comes back as a `ContractRevertError` with a sentence, and nothing is sent.
 * (The match can only be simulated once the allowance exists, so a match refused after its permit leaves the
 * Market allowed exactly the price, which the permit signed, and nothing more.)
 *
 * @example
 * const { sale } = await relayMatch(relayer, { program, listing, offer: purchase, permit });
 */
export async function relayMatch(
  client: WriteClient,
  { program, listing, offer, permit }: RelayMatchParameters,
): Promise<RelayMatchReturnType> {
  const args = [listing.order, listing.signature, offer.order, offer.signature] as const;
  const permitted = await permitIfShort(client, {
    token: offer.order.currency,
    owner: offer.order.buyer,
    spender: program.market,
    needed: offer.order.price,
    permit,
  });
  const result = await execute(client, { address: program.market, abi: marketAbi, functionName: "matchOrders", args }, [
    marketErrorCatalog,
  ]);
  return { ...result, sale: saleOf(result), ...(permitted ? { permit: permitted } : {}) };
}
