import { marketErrorCatalog } from "../errors/market.js";
import { isAddressEqual, parseEventLogs, zeroAddress, type Address, type Hex } from "viem";
import { marketAbi } from "../generated/abis.js";
import { PunchcardError } from "../errors.js";
import { withAllowance } from "../internal/allowance.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import type { Listing, Signed } from "../types/orders.js";

/** What one settled sale paid, to the wei: `sellerAmount + royaltyAmount + fee == price`. */
export interface Sale {
  orderHash: Hex;
  seller: Address;
  buyer: Address;
  tokenId: bigint;
  currency: Address;
  price: bigint;
  royaltyReceiver: Address;
  royaltyAmount: bigint;
  fee: bigint;
  sellerAmount: bigint;
}

export interface BuyStampParameters {
  program: Program;
  listing: Signed<Listing>;
  /** Who receives the stamp (default: the buyer). */
  recipient?: Address;
}

export interface BuyStampReturnType extends ExecuteResult {
  sale: Sale;
}

/**
 * The sale a fill settled, from its `Sale` event.
 *
 * @example
 * const sale = saleOf(await execute(client, { ...buyRequest }));
 */
export function saleOf(result: ExecuteResult): Sale {
  const [log] = parseEventLogs({ abi: marketAbi, eventName: "Sale", logs: result.receipt.logs });
  if (!log) throw new PunchcardError(`No Sale event in transaction ${result.hash}.`);
  const a = log.args;
  return {
    orderHash: a.orderHash,
    seller: a.seller,
    buyer: a.buyer,
    tokenId: a.tokenId,
    currency: a.currency,
    price: a.price,
    royaltyReceiver: a.royaltyReceiver,
    royaltyAmount: a.royaltyAmount,
    fee: a.fee,
    sellerAmount: a.price - a.royaltyAmount - a.fee,
  };
}

/**
 * Buys a listed stamp: pays the listing's price in its currency; the brand's royalty and the market fee come out
 * of the price, the seller gets the rest. For an ERC-20 the Market's allowance is raised by exactly the price, on
 * top of what backs the buyer's open offers, never to an unlimited amount; if the purchase then fails, the
 * allowance is put back.
 *
 * @example
 * const { sale } = await buyStamp(ben, { program, listing });
 * console.log(`royalty to the brand: ${sale.royaltyAmount}`);
 */
export async function buyStamp(
  client: WriteClient,
  { program, listing, recipient = zeroAddress }: BuyStampParameters,
): Promise<BuyStampReturnType> {
  const { order, signature } = listing;
  const native = isAddressEqual(order.currency, zeroAddress);
  const buy = () =>
    execute(
      client,
      {
        address: program.market,
        abi: marketAbi,
        functionName: "buy",
        args: [order, signature, recipient],
        value: native ? order.price : 0n,
      },
      [marketErrorCatalog],
    );
  const result = native ? await buy() : await withAllowance(client, order.currency, program.market, order.price, buy);
  return { ...result, sale: saleOf(result) };
}
