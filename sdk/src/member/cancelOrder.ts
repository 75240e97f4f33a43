import { marketAbi } from "../abis";
import { InvalidArgumentError } from "../errors";
import { execute, type ExecuteResult } from "../internal/execute";
import type { Program, WriteClient } from "../program";
import type { Listing, Offer, Signed, SwapOrder } from "./orderTypes";

/** One of the caller's signed orders, by kind. */
export type AnyOrder = { listing: Signed<Listing> } | { offer: Signed<Offer> } | { swap: Signed<SwapOrder> };

/**
 * Cancels one of the caller's orders on-chain: it can never be filled afterwards. Only its signer can.
 *
 * @example
 * await cancelOrder(ada, { program, order: { listing } });
 */
export async function cancelOrder(client: WriteClient, { program, order }: { program: Program; order: AnyOrder }): Promise<ExecuteResult> {
  const market = { address: program.market, abi: marketAbi } as const;
  if ("listing" in order) return execute(client, { ...market, functionName: "cancelListing", args: [order.listing.order] });
  if ("offer" in order) return execute(client, { ...market, functionName: "cancelOffer", args: [order.offer.order] });
  if ("swap" in order) return execute(client, { ...market, functionName: "cancelSwap", args: [order.swap.order] });
  throw new InvalidArgumentError("order", "must be { listing }, { offer } or { swap }.");
}
