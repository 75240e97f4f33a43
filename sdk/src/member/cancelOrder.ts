import { marketErrorCatalog } from "../errors/market.js";
import { marketAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import type { SignedOrder } from "../types/orders.js";

/** One of the caller's signed orders, by kind: the SDK's one {@link SignedOrder}, under the name this action first gave it. */
export type AnyOrder = SignedOrder;

export interface CancelOrderParameters {
  program: Program;
  order: AnyOrder;
}

export type CancelOrderReturnType = ExecuteResult;

/**
 * Cancels one of the caller's orders on-chain: it can never be filled afterwards. Only its signer can.
 *
 * @example
 * await cancelOrder(ada, { program, order: { listing } });
 */
export async function cancelOrder(
  client: WriteClient,
  { program, order }: CancelOrderParameters,
): Promise<CancelOrderReturnType> {
  const market = { address: program.market, abi: marketAbi } as const;
  if ("listing" in order)
    return execute(client, { ...market, functionName: "cancelListing", args: [order.listing.order] }, [marketErrorCatalog]);
  if ("offer" in order)
    return execute(client, { ...market, functionName: "cancelOffer", args: [order.offer.order] }, [marketErrorCatalog]);
  if ("swap" in order)
    return execute(client, { ...market, functionName: "cancelSwap", args: [order.swap.order] }, [marketErrorCatalog]);
  throw new InvalidArgumentError("order", "must be { listing }, { offer } or { swap }.");
}
