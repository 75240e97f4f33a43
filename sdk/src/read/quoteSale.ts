import { marketErrorCatalog } from "../errors/market.js";
import type { Address } from "viem";
import { zeroAddress } from "viem";
import { marketAbi } from "../generated/abis.js";
import type { Program, ReadClient } from "../program.js";
import { read } from "../internal/read.js";

export interface QuoteSaleParameters {
  program: Program;
  tokenId: bigint;
  /** What the buyer would pay, in the currency's smallest unit. */
  price: bigint;
  /** Zero address (default) for the native coin, or the ERC-20 (e.g. `program.points`). */
  currency?: Address;
}

/** How a price splits at the Market's rules now; the three add up to the price. */
export interface QuoteSaleReturnType {
  /** What the seller receives. */
  sellerAmount: bigint;
  /** The brand's royalty. */
  royaltyAmount: bigint;
  /** The market fee. */
  fee: bigint;
}

/**
 * How a sale of `tokenId` at `price` would split between the seller, the brand's royalty and the market fee, as
 * the Market contract computes it now (its own `quoteSale`): what to show a member before they confirm. A price
 * the brand's rules refuse throws the contract's error, explained.
 *
 * @example
 * const { royaltyAmount, fee } = await quoteSale(client, { program, tokenId, price: 200n, currency: program.points });
 */
export async function quoteSale(
  client: ReadClient,
  { program, tokenId, price, currency = zeroAddress }: QuoteSaleParameters,
): Promise<QuoteSaleReturnType> {
  const [sellerAmount, royaltyAmount, fee] = await read(
    client,
    {
      address: program.market,
      abi: marketAbi,
      functionName: "quoteSale",
      args: [tokenId, currency, price],
    },
    [marketErrorCatalog],
  );
  return { sellerAmount, royaltyAmount, fee };
}
