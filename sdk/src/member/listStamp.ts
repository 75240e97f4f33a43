import { marketErrorCatalog } from "../errors/market.js";
import { zeroAddress, type Address } from "viem";
import { hashTypedData } from "viem";
import { readContract, signTypedData } from "viem/actions";
import { marketAbi } from "../generated/abis.js";
import { checkCurrency, checkTradableStamp } from "../internal/stampChecks.js";
import { requireRange } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { expiryIn } from "../utils/expiryIn.js";
import { listingTypes, marketDomain, type Listing, type Signed } from "../types/orders.js";
import { randomSalt } from "../utils/randomSalt.js";
import { read } from "../internal/read.js";

export interface ListStampParameters {
  program: Program;
  tokenId: bigint;
  /**
   * What the buyer pays, in the currency's smallest unit (wei, points). 0 makes a free transfer listing, which
   * fills only where gifts are allowed: under market-only with gifts off the brand's price floor applies.
   */
  price: bigint;
  /**
   * The least you accept to receive once the brand's royalty and the market fee are taken out of the price
   * (default: what the Market's rules pay now, read from the contract). If the brand raises the royalty or the
   * fee afterwards, the listing stops filling rather than paying you less.
   */
  minSellerAmount?: bigint;
  /** Zero address (default) for the native coin, the program's Points, or an ERC-20 the brand allows. */
  currency?: Address;
  /** Unix seconds after which the listing cannot be filled (default: 7 days from now). */
  expiry?: bigint;
}

export type ListStampReturnType = Signed<Listing>;

/**
 * Lists a stamp for sale by signing an order off-chain: no gas. Share the returned signed listing;
 * anyone can fill it with {@link buyStamp} until it expires, is cancelled, or the stamp moves. The listing signs
 * the least the seller receives; a price the brand's rules refuse (below the series' floor, above its ceiling, too
 * low for the royalty) is refused here, before anything is signed, with the contract's error.
 *
 * @example
 * await approveMarket(ada, { program }); // once per wallet
 * const listing = await listStamp(ada, { program, tokenId: 1_000_000_001n, price: 200n, currency: program.points });
 */
export async function listStamp(
  client: WriteClient,
  { program, tokenId, price, currency = zeroAddress, expiry, minSellerAmount }: ListStampParameters,
): Promise<ListStampReturnType> {
  expiry ??= await expiryIn(client);
  requireRange("price", price, 0n);
  const seller = client.account.address;
  await checkCurrency(client, program, currency, true);
  const tokenNonce = await checkTradableStamp(client, program, "tokenId", tokenId, seller);
  if (minSellerAmount !== undefined) requireRange("minSellerAmount", minSellerAmount, 0n, price);
  const market = { address: program.market, abi: marketAbi } as const;
  const [quotedSellerAmount] = await read(
    client,
    {
      ...market,
      functionName: "quoteSale",
      args: [tokenId, currency, price],
    },
    [marketErrorCatalog],
  );
  minSellerAmount ??= quotedSellerAmount;
  const nonce = await readContract(client, { ...market, functionName: "nonces", args: [seller] });
  const order: Listing = { seller, tokenId, price, minSellerAmount, currency, expiry, nonce, tokenNonce, salt: randomSalt() };
  const typedData = { domain: marketDomain(program), types: listingTypes, primaryType: "Listing", message: order } as const;
  const signature = await signTypedData(client, { account: client.account, ...typedData });
  return { order, signature, orderHash: hashTypedData(typedData) };
}
