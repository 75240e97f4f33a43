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

export interface ListStampParameters {
  program: Program;
  tokenId: bigint;
  /** What the buyer pays, in the currency's smallest unit (wei, points). 0 makes a free transfer listing. */
  price: bigint;
  /** Zero address (default) for the native coin, the program's Points, or an ERC-20 the brand allows. */
  currency?: Address;
  /** Unix seconds after which the listing cannot be filled (default: 7 days from now). */
  expiry?: bigint;
}

export type ListStampReturnType = Signed<Listing>;

/**
 * Lists a stamp for sale by signing an order off-chain: no gas. Share the returned signed listing;
 * anyone can fill it with {@link buyStamp} until it expires, is cancelled, or the stamp moves.
 *
 * @example
 * await approveMarket(ada, { program }); // once per wallet
 * const listing = await listStamp(ada, { program, tokenId: 1_000_000_001n, price: 200n, currency: program.points });
 */
export async function listStamp(
  client: WriteClient,
  { program, tokenId, price, currency = zeroAddress, expiry }: ListStampParameters,
): Promise<ListStampReturnType> {
  expiry ??= await expiryIn(client);
  requireRange("price", price, 0n);
  const seller = client.account.address;
  await checkCurrency(client, program, currency, true);
  const tokenNonce = await checkTradableStamp(client, program, "tokenId", tokenId, seller);
  const nonce = await readContract(client, { address: program.market, abi: marketAbi, functionName: "nonces", args: [seller] });
  const order: Listing = { seller, tokenId, price, currency, expiry, nonce, tokenNonce, salt: randomSalt() };
  const typedData = { domain: marketDomain(program), types: listingTypes, primaryType: "Listing", message: order } as const;
  const signature = await signTypedData(client, { account: client.account, ...typedData });
  return { order, signature, orderHash: hashTypedData(typedData) };
}
